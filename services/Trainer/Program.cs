using CloudAssembly.Orchestration.Trainer;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddTrainer();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
