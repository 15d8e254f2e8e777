using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CloudAssembly.AppHost;

/// <summary>The three CloudAssembly services as Aspire project resources, wired the way they read their settings.</summary>
public static class CloudAssemblyServices
{
    // The connection names the services ask for (CloudAssembly.Orchestration.Messaging.ServiceHosting).
    public const string BrokerConnection = "rabbit";
    public const string StorageConnection = "blobs";

    public static IResourceBuilder<ProjectResource> AddCloudAssemblyService<TProject>(this IDistributedApplicationBuilder builder,
        string name, IResourceBuilder<IResourceWithConnectionString> broker, IResourceBuilder<IResourceWithConnectionString> storage)
        where TProject : IProjectMetadata, new() =>
        // No launch profile: the services have none, and the endpoint below is the one Kestrel listens on.
        builder.AddProject<TProject>(name, launchProfileName: null)
            .WithHttpEndpoint()
            .WithHttpHealthCheck("/health")
            .WithReference(broker, BrokerConnection)
            .WithReference(storage, StorageConnection)
            .WithConfigurationSection(builder.Configuration, "Storage")
            .WithConfigurationSection(builder.Configuration, "Tracing")
            .WaitFor(broker)
            .WaitFor(storage);

    /// <summary>
    /// Passes the AppHost's configuration section (say <c>--Trainer:Device=cuda</c>) to the service as environment
    /// variables (<c>Trainer__Device</c>), the names the service reads.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithConfigurationSection(this IResourceBuilder<ProjectResource> service,
        IConfiguration configuration, string section)
    {
        foreach (var setting in configuration.GetSection(section).AsEnumerable(makePathsRelative: true))
        {
            if (setting.Value is not null)
                service.WithEnvironment($"{section}__{setting.Key.Replace(":", "__")}", setting.Value);
        }
        return service;
    }

    /// <summary>
    /// Replicas of one project get the same environment, so each trainer's name (in leases and events) and work folder
    /// come from its own replica name, which DCP fills in when it starts the process.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTrainerReplicas(this IResourceBuilder<ProjectResource> trainer,
        int replicas, InfrastructureOptions options)
    {
        if (replicas < 1)
            throw new InvalidOperationException($"Trainers is {replicas}: the AppHost needs at least one trainer (--Trainers=2).");
        trainer.WithReplicas(replicas);
        if (trainer.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            const string ReplicaName = "{{- .Name -}}";
            trainer.WithEnvironment("Trainer__Name", ReplicaName)
                .WithEnvironment("Trainer__WorkFolder", Path.Combine(options.DataFolder, "trainers", ReplicaName));
        }
        return trainer;
    }

    /// <summary>Service instances whose process exits are started again while the AppHost runs (see <see cref="ServiceRestarts"/>).</summary>
    public static void RestartServicesThatExit(this IDistributedApplicationBuilder builder, params string[] services)
    {
        if (builder.ExecutionContext.IsRunMode)
            builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<ServiceRestarts>(sp, (IReadOnlySet<string>)services.ToHashSet()));
    }
}
