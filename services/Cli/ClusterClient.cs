using System.CommandLine;
using CloudAssembly.Orchestration.Messaging;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Orchestration.Telemetry;
using CloudAssembly.Storage;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace CloudAssembly.Cli;

/// <summary>
/// The CLI's connection to a cluster: the broker (<c>--broker</c> or <c>CLOUDASSEMBLY_BROKER</c>, an amqp:// URI) and
/// the blob storage (<c>--store</c> or <c>CLOUDASSEMBLY_STORE</c>, with <c>--container</c>). Traces go to OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, so a submit is the root span of its run's trace.
/// </summary>
public sealed class ClusterClient : IAsyncDisposable
{
    public static readonly Option<string?> Broker = new("--broker") { Description = "RabbitMQ URI, amqp://user:pass@host:5672/vhost (or CLOUDASSEMBLY_BROKER)." };
    public static readonly Option<string?> Store = new("--store") { Description = "Blob storage: an Azure connection string, UseDevelopmentStorage=true, or a folder (or CLOUDASSEMBLY_STORE)." };
    public static readonly Option<string> Container = new("--container") { Description = "Blob container.", DefaultValueFactory = _ => "cloudassembly" };

    private readonly IHost host;

    private ClusterClient(IHost host) => this.host = host;

    public IBus Bus => host.Services.GetRequiredService<IBus>();

    public RunStore Runs => host.Services.GetRequiredService<RunStore>();

    public IBlobStore Blobs => host.Services.GetRequiredService<IBlobStore>();

    public static async Task<ClusterClient> ConnectAsync(ParseResult parse, bool needsBroker)
    {
        var broker = parse.GetValue(Broker) ?? Environment.GetEnvironmentVariable("CLOUDASSEMBLY_BROKER");
        var store = parse.GetValue(Store) ?? Environment.GetEnvironmentVariable("CLOUDASSEMBLY_STORE")
            ?? throw new ArgumentException("Blob storage is not given: pass --store or set CLOUDASSEMBLY_STORE.");
        if (needsBroker && broker is null)
            throw new ArgumentException("The broker is not given: pass --broker amqp://user:pass@host:5672/vhost or set CLOUDASSEMBLY_BROKER.");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddCloudAssembly(new BlobLocation(store, parse.GetValue(Container)!), broker);
        var tracing = builder.Services.AddOpenTelemetry().WithTracing(t => t.AddSource(CloudAssemblyTelemetry.TraceSources).AddSource(Submit.Name));
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")))
            tracing.UseOtlpExporter();
        var host = builder.Build();
        if (needsBroker)
            await host.StartAsync();
        return new ClusterClient(host);
    }

    public static readonly System.Diagnostics.ActivitySource Submit = new("CloudAssembly.Cli");

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
