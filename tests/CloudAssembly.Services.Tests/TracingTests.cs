using System.Diagnostics;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Assembler;
using CloudAssembly.Orchestration.DataPrep;
using CloudAssembly.Orchestration.Messaging;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Orchestration.Telemetry;
using CloudAssembly.Orchestration.Trainer;
using CloudAssembly.ServiceDefaults;
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
        builder.Services.AddCloudAssembly(new BlobLocation(blobs.Connection, blobs.Name), broker.Uri, addService);
        // The Assembler's queue must be bound before the submit is published, or the broker drops it.
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    [Fact]
    public async Task A_runs_trace_tells_its_story_as_children_of_its_root_with_its_figures_and_no_errors_orphans_or_noise()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(Client.Name)
            .AddRunTracing(blobDetail: false)
            .AddInMemoryExporter(spans)
            .Build()!;
        await using var broker = await Broker.CreateAsync();
        var blobs = new BlobContainer();
        var hosts = new List<IHost>();
        hosts.Add(await StartServiceAsync(bus => bus.AddDataPrep(), broker, blobs));
        hosts.Add(await StartServiceAsync(bus => bus.AddAssembler(new AssemblerOptions { WatchdogInterval = TimeSpan.FromSeconds(2) }), broker, blobs));
        hosts.Add(await StartServiceAsync(bus => bus.AddTrainer(new TrainerOptions { Name = "traced-trainer", SlotWait = TimeSpan.FromSeconds(3),
            HeartbeatInterval = TimeSpan.FromSeconds(2), ProgressInterval = TimeSpan.FromSeconds(1), WorkFolder = Path.Combine(Path.GetTempPath(), "cloudassembly-tests", blobs.Name) }), broker, blobs));
        var client = await StartServiceAsync(_ => { }, broker, blobs);
        hosts.Add(client);
        var runId = $"trace-{Guid.NewGuid():N}"[..16];
        Activity submit;
        try
        {
            // Run.json is polled rather than the run's events watched: a watcher's deliveries are the CLI's, which
            // keeps them out of the trace (CommandSampler), and this test has one trace provider for every process.
            var runs = client.Services.GetRequiredService<RunStore>();
            using (submit = Client.StartActivity("submit run", ActivityKind.Producer)!)
                await client.Services.GetRequiredService<IBus>().PublishSubmitAsync(new SubmitRun(runId, TinyRun.Spec()), default);
            // A guard against a run that hangs, not a time limit under test.
            var patience = System.Diagnostics.Stopwatch.StartNew();
            RunDocument? run;
            while ((run = (await runs.TryGetAsync(runId, default))?.Run) is not { IsFinished: true })
            {
                if (patience.Elapsed > TimeSpan.FromMinutes(10))
                    Assert.Fail($"The run did not finish: {(run is null ? "no run.json" : string.Join(", ", run.Phases.Select(p => $"{p.Key} {p.Value.Status}")))}");
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
            Assert.Equal(RunStatus.Completed, run.Status);
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

        List<Activity> trace;
        lock (spans)
            trace = [.. spans.Where(s => s.TraceId == submit.TraceId)];
        foreach (var span in trace.OrderBy(s => s.StartTimeUtc))
            output.WriteLine($"{span.Source.Name,-24} {span.DisplayName,-60} {span.SpanId} ← {span.ParentSpanId}");

        Assert.InRange(trace.Count, 20, 200);
        Assert.DoesNotContain(trace, s => s.Status == ActivityStatusCode.Error);
        Assert.DoesNotContain(trace, s => s.Source.Name.StartsWith("Azure.", StringComparison.Ordinal) || s.Source.Name == "System.Net.Http");
        Assert.DoesNotContain(trace, s => Mentions(s, nameof(PhaseProgress)));

        string[] story = ["prepare dataset", "phase PT", "phase MT_0", "phase MT_1", "phase MT_2", "phase MT_3", "assemble modules",
            "phase FT", "phase Eval", "run completed"];
        var steps = story.Select(name => Assert.Single(trace, s => s.DisplayName == name)).ToList();
        // The story hangs off the root, not off the messages between its steps: those are linked instead.
        Assert.All(steps, s => Assert.Equal(submit.SpanId, s.ParentSpanId));
        Assert.All(steps, s => Assert.Equal(runId, s.GetTagItem("cloudassembly.run_id")));
        Assert.All(steps.Where(s => s.DisplayName.StartsWith("phase ", StringComparison.Ordinal)), s =>
            Assert.Contains(s.Links, l => trace.Any(m => m.SpanId == l.Context.SpanId && m.Source.Name == "MassTransit")));
        Assert.All(trace.Where(s => s != submit), s => Assert.Contains(trace, p => p.SpanId == s.ParentSpanId));

        foreach (var phase in steps.Where(s => s.DisplayName.StartsWith("phase ", StringComparison.Ordinal)))
        {
            Assert.Equal(phase.DisplayName["phase ".Length..], phase.GetTagItem("cloudassembly.phase"));
            Assert.Equal(1, phase.GetTagItem("cloudassembly.attempt"));
            Assert.Equal("traced-trainer", phase.GetTagItem("cloudassembly.trainer"));
            Assert.IsType<double>(phase.GetTagItem("cloudassembly.acc1"));
            Assert.IsType<double>(phase.GetTagItem("cloudassembly.device_seconds"));
            Assert.True(phase.GetTagItem("cloudassembly.epochs") is int epochs && epochs >= (phase.DisplayName == "phase Eval" ? 0 : 1));
        }
        var completed = steps[^1];
        Assert.IsType<double>(completed.GetTagItem("cloudassembly.acc1"));
        Assert.IsType<double>(completed.GetTagItem("cloudassembly.device_seconds"));

        // Checkpoint transfers are events of their phase, not spans of their own.
        Assert.DoesNotContain(trace, s => s.DisplayName.StartsWith("checkpoint ", StringComparison.Ordinal));
        Assert.Contains(steps.Single(s => s.DisplayName == "phase PT").Events, e => e.Name == "uploaded checkpoint-0.pth");
    }

    private static bool Mentions(Activity span, string text) =>
        span.DisplayName.Contains(text, StringComparison.Ordinal)
        || span.TagObjects.Any(t => t.Value?.ToString()?.Contains(text, StringComparison.Ordinal) == true);
}
