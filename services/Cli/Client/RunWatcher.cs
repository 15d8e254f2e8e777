using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using MassTransit;

namespace CloudAssembly.Cli.Client;

/// <summary>
/// Follows one run from outside: its events arrive on a temporary queue of this process and are handed to
/// <c>onEvent</c>; <see cref="Outcome"/> completes with <see cref="RunCompleted"/>, <see cref="RunFailed"/> or
/// <see cref="RunCancelled"/>, or <see cref="RunRejected"/> when the spec was refused. <c>run.json</c> is polled as
/// well, so an outcome sent while this process was not listening is still seen, and a phase that moved to a new attempt
/// (a lost trainer, a retried failure) is reported as <see cref="PhaseRedispatched"/>.
/// </summary>
public sealed class RunWatcher : IAsyncDisposable
{
    private readonly string runId;
    private readonly Action<object> onEvent;
    private readonly TaskCompletionSource<object> outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HostReceiveEndpointHandle endpoint;
    private readonly CancellationTokenSource stop = new();
    private readonly Task polling;

    private RunWatcher(IBus bus, RunStore runs, string runId, Action<object> onEvent, TimeSpan pollInterval)
    {
        this.runId = runId;
        this.onEvent = onEvent;
        endpoint = bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition("watch"), KebabCaseEndpointNameFormatter.Instance, e =>
        {
            e.Handler<DatasetReady>(c => Forward(c.Message.RunId, c.Message));
            e.Handler<PhaseStarted>(c => Forward(c.Message.RunId, c.Message));
            e.Handler<PhaseProgress>(c => Forward(c.Message.RunId, c.Message));
            e.Handler<PhaseCompleted>(c => Forward(c.Message.RunId, c.Message));
            e.Handler<PhaseFailed>(c => Forward(c.Message.RunId, c.Message));
            e.Handler<PhasePreempted>(c => Forward(c.Message.RunId, c.Message));
            e.Handler<RunCompleted>(c => Finish(c.Message.RunId, c.Message));
            e.Handler<RunFailed>(c => Finish(c.Message.RunId, c.Message));
            e.Handler<RunCancelled>(c => Finish(c.Message.RunId, c.Message));
            e.Handler<RunRejected>(c => Finish(c.Message.RunId, c.Message));
        });
        polling = PollAsync(runs, pollInterval);
    }

    public Task<object> Outcome => outcome.Task;

    public static async Task<RunWatcher> StartAsync(IBus bus, RunStore runs, string runId, Action<object> onEvent, TimeSpan? pollInterval = null)
    {
        var watcher = new RunWatcher(bus, runs, runId, onEvent, pollInterval ?? TimeSpan.FromSeconds(5));
        await watcher.endpoint.Ready;
        return watcher;
    }

    private Task Forward(string id, object message)
    {
        if (id == runId)
            onEvent(message);
        return Task.CompletedTask;
    }

    private Task Finish(string id, object message)
    {
        if (id == runId && outcome.TrySetResult(message))
            onEvent(message);
        return Task.CompletedTask;
    }

    private async Task PollAsync(RunStore runs, TimeSpan interval)
    {
        try
        {
            IReadOnlyDictionary<PhaseKey, PhaseState>? seen = null;
            while (!outcome.Task.IsCompleted)
            {
                await Task.Delay(interval, stop.Token);
                try
                {
                    if (await runs.TryGetAsync(runId, stop.Token) is not { Run: var run })
                        continue;
                    foreach (var (phase, state) in run.Phases)
                    {
                        if (seen is not null && seen.TryGetValue(phase, out var before) && state.Attempt > before.Attempt && before.Attempt > 0)
                            onEvent(new PhaseRedispatched(runId, phase, state.Attempt, state.Error ?? $"attempt {before.Attempt} ended without completing"));
                    }
                    seen = run.Phases;
                    // An outcome still in the outbox is on its way (the Assembler writes the report before sending it).
                    if (run is { IsFinished: true, Outbox.Count: 0 } && RunStateMachine.Outcome(run) is { } result)
                        await Finish(runId, result);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Storage away for a while: the next poll (or the event) tells.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await polling;
        await endpoint.StopAsync();
        stop.Dispose();
    }
}
