using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace CloudAssembly.Orchestration.Messaging;

/// <summary>
/// A service's wiring from configuration: <c>ConnectionStrings:rabbit</c> (the broker, an amqp:// URI as Aspire injects
/// it), <c>ConnectionStrings:blobs</c> (an Azure Storage connection string, <c>UseDevelopmentStorage=true</c> for
/// Azurite, or a folder) with <c>Storage:Container</c> (default <c>cloudassembly</c>). Each service's own section
/// (<c>Assembler</c>, <c>Trainer</c>) is read by its registration.
/// </summary>
public static class ServiceHosting
{
    public const string Rabbit = "rabbit";
    public const string Blobs = "blobs";

    public static IHostApplicationBuilder AddCloudAssemblyService(this IHostApplicationBuilder builder, Action<CloudAssemblyBuilder> addService)
    {
        var rabbit = builder.Configuration.GetConnectionString(Rabbit)
            ?? throw new InvalidOperationException($"ConnectionStrings:{Rabbit} is not set (an amqp://user:pass@host:5672/vhost URI).");
        var blobs = builder.Configuration.GetConnectionString(Blobs)
            ?? throw new InvalidOperationException($"ConnectionStrings:{Blobs} is not set (an Azure Storage connection string or a folder).");
        var location = new BlobLocation(blobs, builder.Configuration["Storage:Container"] ?? "cloudassembly");
        builder.Services.AddCloudAssembly(location, rabbit, addService);
        return builder;
    }
}
