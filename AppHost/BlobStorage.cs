using Aspire.Hosting.ApplicationModel;

namespace CloudAssembly.AppHost;

/// <summary>Azurite's blob service, as a container or as the <c>azurite-blob</c> that eng/services-up.sh installs with npm.</summary>
public static class BlobStorage
{
    private const string AzuriteVersion = "3.35.0";
    private const int ContainerPort = 10000;

    public static IResourceBuilder<IResourceWithConnectionString> AddBlobStorage(
        this IDistributedApplicationBuilder builder, string name, InfrastructureOptions options, bool containers) =>
        containers ? builder.AddAzuriteContainer(name) : builder.AddLocalAzurite(name, options);

    // --skipApiVersionCheck: Azure.Storage.Blobs 12.30 sends an x-ms-version that Azurite does not know yet and rejects.
    private static IResourceBuilder<AzuriteContainerResource> AddAzuriteContainer(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new AzuriteContainerResource(name))
            .WithImage("azure-storage/azurite", AzuriteVersion)
            .WithImageRegistry("mcr.microsoft.com")
            .WithArgs("azurite-blob", "--blobHost", "0.0.0.0", "--blobPort", ContainerPort.ToString(), "--location", "/data",
                "--skipApiVersionCheck", "--loose", "--disableTelemetry")
            .WithHttpEndpoint(targetPort: ContainerPort, name: AzuriteConnectionString.BlobEndpointName)
            .WithVolume("cloudassembly-azurite", "/data")
            .WithHttpHealthCheck("/", statusCode: 400, endpointName: AzuriteConnectionString.BlobEndpointName);

    private static IResourceBuilder<AzuriteExecutableResource> AddLocalAzurite(
        this IDistributedApplicationBuilder builder, string name, InfrastructureOptions options)
    {
        var installed = Path.Combine(Environment.GetEnvironmentVariable("CI_SERVICES_DIR") is { Length: > 0 } services
            ? services : "/tmp/cloudassembly-services", "azurite", "pkg", "node_modules", ".bin", "azurite-blob");
        var azurite = options.Azurite ?? (File.Exists(installed) ? installed : null) ?? ExecutableLocator.Find("azurite-blob")
            ?? throw new InvalidOperationException(
                $"azurite-blob is not installed (looked in {installed} and on PATH): run eng/services-up.sh, which installs " +
                "Azurite with npm, or set --Infrastructure:Azurite=<path>, or run Docker so the AppHost uses containers.");
        var folder = Path.Combine(options.DataFolder, "azurite");
        if (builder.ExecutionContext.IsRunMode)
        {
            TcpPort.EnsureFree(options.AzuritePort, "Azurite", "Infrastructure:AzuritePort");
            Directory.CreateDirectory(folder);
        }

        // Azurite answers 400 on "/" once it serves; that is its readiness signal.
        return builder.AddResource(new AzuriteExecutableResource(name, azurite, folder))
            .WithArgs("--blobHost", TcpPort.Loopback, "--blobPort", options.AzuritePort.ToString(), "--location", folder,
                "--skipApiVersionCheck", "--loose", "--disableTelemetry")
            .WithHttpEndpoint(port: options.AzuritePort, targetPort: options.AzuritePort,
                name: AzuriteConnectionString.BlobEndpointName, isProxied: false)
            .WithHttpHealthCheck("/", statusCode: 400, endpointName: AzuriteConnectionString.BlobEndpointName);
    }
}
