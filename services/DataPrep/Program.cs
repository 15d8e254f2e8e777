using CloudAssembly.Orchestration.DataPrep;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDataPrep();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
