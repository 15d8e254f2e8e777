using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using MassTransit;

namespace CloudAssembly.Cli.Client;

/// <summary>
/// Follows one run from outside: its events arrive on a temporary queue of this process and are handed to
/// <c>onEvent</c>; <see cref="Outcome"/> completes with <see cref="RunCompleted"/>, <see cref="RunFailed"/> or
/// <see cref="RunCancelled"/>, or <see cref="RunRejected"/> when the spec was refused. The store is read as well: on
/// attaching, where the run stands (<see cref="RunUnderway"/>, <see cref="PhaseUnderway"/>); then every poll, an
/// outcome sent while this process was not listening, a phase that moved to a new attempt (a lost trainer, a retried
/// failure: <see cref="PhaseRedispatched"/>), and a running attempt's trainer that stopped renewing its lease
/// (<see cref="TrainerSilent"/>). Events are handed on one at a time, and a new attempt's start never before the reason
/// it was dispatched again: the Assembler writes that reason into <c>run.json</c> before it sends the attempt, so a
/// start of an attempt newer than any seen reads <c>run.json</c> first.
/// </summary>
public sealed class RunWatcher : IAsyncDisposable
{
    /// <summary>A third of the Assembler's lease timeout: three heartbeats missed, a minute before the phase is dispatched again.</summary>
    public static readonly TimeSpan DefaultSilence = TimeSpan.FromSeconds(30);

    private readonly string runId;
    private readonly RunStore runs;
    private readonly LeaseStore leases;
    private readonly Action<object> onEvent;
    private readonly HeartbeatWatch heartbeats;
    private readonly SemaphoreSlim order = new(1, 1);
    private readonly Dictionary<PhaseKey, int> toldAttempts = [];
    private readonly Dictionary<PhaseKey, string> toldWaiting = [];
    private readonly TaskCompletionSource<object> outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HostReceiveEndpointHandle endpoint;
    private readonly CancellationTokenSource stop = new();
    private Task polling = Task.CompletedTask;

    private RunWatcher(IBus bus, RunStore runs, string runId, Action<object> onEvent, TimeSpan silence)
    {
        this.runId = runId;
        this.runs = runs;
        this.onEvent = onEvent;
        leases = new LeaseStore(runs.Blobs);
        heartbeats = new HeartbeatWatch(silence);
        endpoint = bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition("watch"), KebabCaseEndpointNameFormatter.Instance, e =>
        {
            e.Handler<DatasetReady>(c => ForwardAsync(c.Message.RunId, c.Message));
            e.Handler<PhaseStarted>(c => StartedAsync(c.Message));
            e.Handler<PhaseProgress>(c => ForwardAsync(c.Message.RunId, c.Message));
            e.Handler<PhaseCompleted>(c => ForwardAsync(c.Message.RunId, c.Message));
            e.Handler<PhaseFailed>(c => ForwardAsync(c.Message.RunId, c.Message));
            e.Handler<PhasePreempted>(c => ForwardAsync(c.Message.RunId, c.Message));
            e.Handler<RunCompleted>(c => FinishAsync(c.Message.RunId, c.Message));
            e.Handler<RunFailed>(c => FinishAsync(c.Message.RunId, c.Message));
            e.Handler<RunCancelled>(c => FinishAsync(c.Message.RunId, c.Message));
            e.Handler<RunRejected>(c => FinishAsync(c.Message.RunId, c.Message));
        });
    }

    public Task<object> Outcome => outcome.Task;

    public static async Task<RunWatcher> StartAsync(IBus bus, RunStore runs, string runId, Action<object> onEvent, TimeSpan? pollInterval = null,
        TimeSpan? silence = null)
    {
        var watcher = new RunWatcher(bus, runs, runId, onEvent, silence ?? DefaultSilence);
        await watcher.endpoint.Ready;
        await watcher.AttachAsync();
        watcher.polling = watcher.PollAsync(pollInterval ?? TimeSpan.FromSeconds(5));
        return watcher;
    }

    private async Task AttachAsync()
    {
        await order.WaitAsync();
        try
        {
            if (await TryReadRunAsync() is not { } run)
                return;
            foreach (var (phase, state) in run.Phases)
                toldAttempts[phase] = state.Attempt;
            if (!run.IsFinished)
                onEvent(new RunUnderway(runId, run.Status));
            foreach (var (phase, state) in run.Phases.Where(p => p.Value.Status == PhaseStatus.Running).OrderBy(p => p.Key))
            {
                var lease = await TryReadLeaseAsync(phase, 0, state.Attempt);
                var (epoch, step) = lease is { StepsPerEpoch: > 0 } l ? ((int)(l.Progress / l.StepsPerEpoch), (int)(l.Progress % l.StepsPerEpoch)) : (0, 0);
                onEvent(new PhaseUnderway(runId, phase, state.Attempt, state.Trainer ?? lease?.Trainer ?? "?", epoch, lease?.Epochs ?? 0, step,
                    lease?.StepsPerEpoch ?? 0));
            }
        }
        finally
        {
            order.Release();
        }
    }

    private async Task ForwardAsync(string id, object message)
    {
        if (id != runId)
            return;
        await order.WaitAsync();
        try
        {
            onEvent(message);
        }
        finally
        {
            order.Release();
        }
    }

    private async Task StartedAsync(PhaseStarted started)
    {
        if (started.RunId != runId)
            return;
        await order.WaitAsync();
        try
        {
            if (started.Attempt > 1 && started.Attempt > toldAttempts.GetValueOrDefault(started.Phase) && await TryReadRunAsync() is { } run)
                TellRedispatches(run);
            toldAttempts[started.Phase] = Math.Max(started.Attempt, toldAttempts.GetValueOrDefault(started.Phase));
            onEvent(started);
        }
        finally
        {
            order.Release();
        }
    }

    private async Task FinishAsync(string id, object message)
    {
        if (id != runId)
            return;
        await order.WaitAsync();
        try
        {
            if (outcome.TrySetResult(message))
                onEvent(message);
        }
        finally
        {
            order.Release();
        }
    }

    /// <summary>A phase whose attempt in <c>run.json</c> is newer than any told was dispatched again: tells why.</summary>
    private void TellRedispatches(RunDocument run)
    {
        foreach (var (phase, state) in run.Phases.OrderBy(p => p.Key))
        {
            var told = toldAttempts.GetValueOrDefault(phase);
            if (state.Attempt <= told)
                continue;
            toldAttempts[phase] = state.Attempt;
            if (state.Attempt > 1)
                onEvent(new PhaseRedispatched(runId, phase, state.Attempt, state.Error ?? $"attempt {state.Attempt - 1} ended without completing"));
        }
    }

    /// <summary>A phase the cluster holds before it starts (<see cref="PhaseState.Waiting"/>): tells why, once per reason.</summary>
    private void TellWaiting(RunDocument run)
    {
        foreach (var (phase, state) in run.Phases.OrderBy(p => p.Key))
            if (state is { IsActive: true, Waiting: { } waiting } && toldWaiting.GetValueOrDefault(phase) != waiting)
            {
                toldWaiting[phase] = waiting;
                onEvent(new PhaseWaiting(runId, phase, state.Attempt, waiting));
            }
    }

    private async Task PollAsync(TimeSpan interval)
    {
        try
        {
            while (!outcome.Task.IsCompleted)
            {
                await Task.Delay(interval, stop.Token);
                try
                {
                    await PollOnceAsync();
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

    private async Task PollOnceAsync()
    {
        if (await TryReadRunAsync() is not { } run)
            return;
        var silent = new List<TrainerSilent>();
        foreach (var (phase, state) in run.Phases.Where(p => p.Value.Status == PhaseStatus.Running))
        {
            for (var node = 0; await leases.TryReadAsync(BlobLayout.Lease(runId, phase, node), stop.Token) is { } read; node++)
            {
                if (read.Lease.Attempt == state.Attempt && heartbeats.Silence(BlobLayout.Lease(runId, phase, node), read.Lease, read.ETag) is { } silence)
                    silent.Add(new TrainerSilent(runId, phase, state.Attempt, read.Lease.Trainer, silence));
            }
        }
        await order.WaitAsync();
        try
        {
            TellRedispatches(run);
            TellWaiting(run);
            foreach (var s in silent)
                onEvent(s);
        }
        finally
        {
            order.Release();
        }
        // An outcome still in the outbox is on its way (the Assembler writes the report before sending it).
        if (run is { IsFinished: true, Outbox.Count: 0 } && RunStateMachine.Outcome(run) is { } result)
            await FinishAsync(runId, result);
    }

    private async Task<RunDocument?> TryReadRunAsync()
    {
        try
        {
            return (await runs.TryGetAsync(runId, stop.Token))?.Run;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }

    private async Task<PhaseLease?> TryReadLeaseAsync(PhaseKey phase, int node, int attempt)
    {
        try
        {
            return await leases.TryReadAsync(BlobLayout.Lease(runId, phase, node), stop.Token) is { Lease: var lease } && lease.Attempt == attempt ? lease : null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await polling;
        await endpoint.StopAsync();
        stop.Dispose();
        order.Dispose();
    }
}
