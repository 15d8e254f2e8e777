using CloudAssembly.Orchestration.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddCloudAssemblyService(ServiceRoles.Trainer);

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
