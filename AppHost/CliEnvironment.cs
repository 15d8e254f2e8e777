using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace CloudAssembly.AppHost;

/// <summary>
/// What the <c>cloudassembly</c> CLI needs to reach this AppHost's cluster — broker, storage, where traces go and the
/// dashboard — printed as <c>export</c> lines once the Assembler is ready, and written to <c>cli.env</c> in the data
/// folder for scripts to <c>source</c>. The values are the real ones of this start (ports, generated passwords).
/// </summary>
public static class CliEnvironment
{
    public const string FileName = "cli.env";

    public static void PrintCliEnvironmentWhenReady(this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> assembler,
        IResourceBuilder<IResourceWithConnectionString> broker, IResourceBuilder<IResourceWithConnectionString> storage, InfrastructureOptions options)
    {
        if (!builder.ExecutionContext.IsRunMode)
            return;
        builder.Eventing.Subscribe<ResourceReadyEvent>(assembler.Resource, async (_, ct) =>
        {
            var variables = new List<(string Name, string? Value)>
            {
                ("CLOUDASSEMBLY_BROKER", await broker.Resource.GetConnectionStringAsync(ct)),
                ("CLOUDASSEMBLY_STORE", await storage.Resource.GetConnectionStringAsync(ct)),
                ("OTEL_EXPORTER_OTLP_ENDPOINT", builder.Configuration["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"]),
                ("CLOUDASSEMBLY_DASHBOARD", builder.Configuration["ASPNETCORE_URLS"]?.Split(';')[0]),
            };
            var lines = variables.Where(v => !string.IsNullOrEmpty(v.Value)).Select(v => $"export {v.Name}='{v.Value}'").ToList();
            var file = Path.Combine(options.DataFolder, FileName);
            Directory.CreateDirectory(options.DataFolder);
            await File.WriteAllLinesAsync(file, lines, ct);
            Console.WriteLine();
            Console.WriteLine($"The cluster is up. Point the cloudassembly CLI at it in another shell (or `source {file}`):");
            foreach (var line in lines)
                Console.WriteLine($"  {line}");
            Console.WriteLine();
        });
    }
}
