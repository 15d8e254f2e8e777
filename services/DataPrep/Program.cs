using CloudAssembly.Orchestration.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddCloudAssemblyService(ServiceRoles.DataPrep);

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
