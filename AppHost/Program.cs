using CloudAssembly.AppHost;
using Microsoft.Extensions.Configuration;

var builder = DistributedApplication.CreateBuilder(args);
var infrastructure = InfrastructureOptions.From(builder.Configuration);
var containers = infrastructure.Mode switch
{
    InfrastructureMode.Containers => true,
    InfrastructureMode.Executables => false,
    _ => builder.ExecutionContext.IsPublishMode || ContainerRuntime.IsEngineReachable(),
};

var rabbitmq = builder.AddMessageBroker("rabbitmq", infrastructure, containers);
var blobs = builder.AddBlobStorage("blobs", infrastructure, containers);

builder.AddCloudAssemblyService<Projects.CloudAssembly_DataPrep>("data-prep", rabbitmq, blobs);
var assembler = builder.AddCloudAssemblyService<Projects.CloudAssembly_Assembler>("assembler", rabbitmq, blobs)
    .WithConfigurationSection(builder.Configuration, "Assembler")
    .WithDashboardTraceLinks(builder);
builder.AddCloudAssemblyService<Projects.CloudAssembly_Trainer>("trainer", rabbitmq, blobs)
    .WithConfigurationSection(builder.Configuration, "Trainer")
    .WithTrainerReplicas(builder.Configuration.GetValue("Trainers", 2), infrastructure);

builder.RestartServicesThatExit("data-prep", "assembler", "trainer");
builder.PrintCliEnvironmentWhenReady(assembler, rabbitmq, blobs, infrastructure);

builder.Build().Run();
