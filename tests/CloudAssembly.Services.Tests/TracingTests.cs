using System.Diagnostics;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Assembler;
using CloudAssembly.Orchestration.Client;
using CloudAssembly.Orchestration.DataPrep;
using CloudAssembly.Orchestration.Messaging;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Orchestration.Trainer;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Xunit.Abstractions;

namespace CloudAssembly.Services.Tests;

[Collection("services")]
public class TracingTests(ITestOutputHelper output)
{
    private static readonly ActivitySource Client = new("CloudAssembly.Tests.Client");

    private static async Task<IHost> StartServiceAsync(Action<CloudAssemblyBuilder> addService, Broker broker, BlobContainer blobs)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddCloudAssembly(new BlobLocation(BlobContainer.Connection, blobs.Name), broker.Uri, addService);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    [Fact]
    public async Task Every_span_of_every_service_for_one_run_shares_the_submit_span_trace_id()
    {
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .SetSampler(new AlwaysOnSampler())
            .AddSource(Client.Name)
            .AddSource(Microsoft.Extensions.Hosting.Extensions.Sources)
            .AddInMemoryExporter(spans)
            .Build()!;
        await using var broker = await Broker.CreateAsync();
        var blobs = new BlobContainer();
        var hosts = new List<IHost>();
        hosts.Add(await StartServiceAsync(bus => bus.AddDataPrep(), broker, blobs));
        hosts.Add(await StartServiceAsync(bus => bus.AddAssembler(new AssemblerOptions { WatchdogInterval = TimeSpan.FromSeconds(2) }), broker, blobs));
        hosts.Add(await StartServiceAsync(bus => bus.AddTrainer(new TrainerOptions { Name = "traced-trainer", SlotWait = TimeSpan.FromSeconds(3),
            HeartbeatInterval = TimeSpan.FromSeconds(2), WorkFolder = Path.Combine(Path.GetTempPath(), "cloudassembly-tests", blobs.Name) }), broker, blobs));
        var client = await StartServiceAsync(_ => { }, broker, blobs);
        hosts.Add(client);
        var runId = $"trace-{Guid.NewGuid():N}"[..16];
        ActivityTraceId root;
        try
        {
            var bus = client.Services.GetRequiredService<IBus>();
            await using var watcher = await RunWatcher.StartAsync(bus, client.Services.GetRequiredService<RunStore>(), runId, _ => { });
            using (var submit = Client.StartActivity("submit run", ActivityKind.Producer)!)
            {
                root = submit.TraceId;
                await bus.Publish(new SubmitRun(runId, TinyRun.Spec()));
            }
            Assert.IsType<RunCompleted>(await watcher.Outcome.WaitAsync(TimeSpan.FromMinutes(6)));
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.StopAsync();
                host.Dispose();
            }
        }
        tracing.ForceFlush();

        List<Activity> all;
        lock (spans)
            all = [.. spans];
        var ofRun = all.Where(s => (s.GetTagItem("cloudassembly.run_id") as string) == runId).ToList();
        Assert.All(ofRun, s => Assert.Equal(root, s.TraceId));
        var inTrace = all.Where(s => s.TraceId == root).ToList();
        output.WriteLine($"{inTrace.Count} spans in the run's trace; {all.Count} exported in all");
        foreach (var name in new[] { "phase PT", "phase MT_0", "phase MT_3", "phase FT", "phase Eval", "assemble modules", "prepare dataset", "checkpoint upload" })
            Assert.Contains(inTrace, s => s.DisplayName == name);
        foreach (var queue in new[] { QueueNames.Assembler, QueueNames.Trainer, QueueNames.DataPrep })
            Assert.Contains(inTrace, s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer
                && (s.GetTagItem("messaging.destination.name") as string ?? s.DisplayName).Contains(queue, StringComparison.Ordinal));
        Assert.Contains(inTrace, s => s.Source.Name.StartsWith("Azure.", StringComparison.Ordinal));
    }
}
