using System.CommandLine;
using System.Diagnostics;
using CloudAssembly.Cli.Client;
using CloudAssembly.Orchestration.Messaging;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Storage;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CloudAssembly.Cli;

/// <summary>
/// The CLI's connection to a cluster, from options or from the environment the AppHost prints on start-up (the same
/// for a Kubernetes cluster behind a port-forward): <c>CLOUDASSEMBLY_BROKER</c>, <c>CLOUDASSEMBLY_STORE</c> (<see cref="StoreOptions"/>),
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (then a submit is the root span of its run's trace) and
/// <c>CLOUDASSEMBLY_DASHBOARD</c> (then <c>submit</c> prints the link to that trace).
/// </summary>
public sealed class ClusterClient : IAsyncDisposable
{
    public const string BrokerVariable = "CLOUDASSEMBLY_BROKER";
    public const string DashboardVariable = "CLOUDASSEMBLY_DASHBOARD";
    public const string ServiceName = "cloudassembly";

    public static readonly Option<string?> Broker = new("--broker") { Description = $"RabbitMQ URI, amqp://user:pass@host:5672/vhost (default: ${BrokerVariable})." };

    public static readonly ActivitySource Source = new("CloudAssembly.Cli");

    private static readonly TimeSpan StopPatience = TimeSpan.FromSeconds(2);

    private readonly IHost host;

    private ClusterClient(IHost host) => this.host = host;

    public IBus Bus => host.Services.GetRequiredService<IBus>();

    public RunStore Runs => host.Services.GetRequiredService<RunStore>();

    public IBlobStore Blobs => host.Services.GetRequiredService<IBlobStore>();

    private static bool ExportsTraces => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));

    /// <summary>The Aspire dashboard's page of a trace, when the environment names the dashboard and traces go to it.</summary>
    public static string? TraceLink(ActivityTraceId trace) =>
        ExportsTraces && Environment.GetEnvironmentVariable(DashboardVariable) is { Length: > 0 } dashboard
            ? $"{dashboard.TrimEnd('/')}/traces/detail/{trace}"
            : null;

    public static async Task<ClusterClient> ConnectAsync(ParseResult parse, bool needsBroker)
    {
        var broker = parse.GetValue(Broker) ?? Environment.GetEnvironmentVariable(BrokerVariable);
        var store = StoreOptions.Location(parse);
        if (needsBroker && broker is null)
            throw new ArgumentException($"The broker is not given: pass --broker amqp://user:pass@host:5672/vhost or set {BrokerVariable} (the AppHost prints the line to paste).");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, CommandHostLifetime>();
        builder.Services.AddCloudAssembly(store, broker);
        // The CLI's own span and MassTransit's send under it carry the run's trace into the cluster; what the CLI
        // receives while it watches (every event of the run) stays out of that trace.
        var tracing = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") ?? ServiceName, autoGenerateServiceInstanceId: false))
            .WithTracing(t => t.SetSampler(new CommandSampler()).AddSource(Source.Name, "MassTransit"));
        if (ExportsTraces)
            tracing.UseOtlpExporter();
        var host = builder.Build();
        if (needsBroker)
            await host.StartAsync();
        return new ClusterClient(host);
    }

    public async ValueTask DisposeAsync()
    {
        using var patience = new CancellationTokenSource(StopPatience);
        await host.StopAsync(patience.Token);
        host.Dispose();
    }
}
