using System.Collections.Concurrent;
using System.Diagnostics;
using CloudAssembly.Contracts;
using CloudAssembly.Cli.Client;
using CloudAssembly.Orchestration.Runs;
using MassTransit;

namespace CloudAssembly.Services.Tests;

/// <summary>Submits a run to a cluster and records every event of it, with when it arrived.</summary>
public sealed class RunHarness(IBus bus, RunStore runs, string runId)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();

    public ConcurrentQueue<(TimeSpan At, object Event)> Events { get; } = new();

    public string RunId => runId;

    public async Task<object> RunAsync(RunSpec spec, Action<object>? react = null, TimeSpan? timeout = null)
    {
        await using var watcher = await RunWatcher.StartAsync(bus, runs, runId, e =>
        {
            Events.Enqueue((clock.Elapsed, e));
            react?.Invoke(e);
        }, TimeSpan.FromSeconds(2));
        await bus.Publish(new SubmitRun(runId, spec));
        return await watcher.Outcome.WaitAsync(timeout ?? TimeSpan.FromMinutes(10));
    }

    public IEnumerable<T> Of<T>() => Events.Select(e => e.Event).OfType<T>();

    public TimeSpan When(Func<object, bool> predicate) => Events.First(e => predicate(e.Event)).At;
}
