using System.Collections.Concurrent;
using System.Diagnostics;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Assembler.Launching;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Orchestration.Telemetry;
using CloudAssembly.Storage;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CloudAssembly.Orchestration.Assembler;

/// <summary>
/// Looks at every unfinished run on a timer and carries out what its stored state asks for: sends what is left in its
/// outbox, assembles, dispatches; brings in what the cluster shows of launched Jobs (<see cref="PlacementWatch"/>);
/// re-sends a queued command nobody claimed for a long time; and gives up an attempt whose
/// lease stopped changing, or that renews without training a step, and dispatches the phase again (the new attempt
/// resumes through the phase's pointer); on several pods every rank slot's lease is judged, and the first one lost gives
/// up the whole attempt. A lease is judged only by whether its ETag and progress change, timed on
/// this process's monotonic clock, and not at all for a while after storage failed (trainers could not renew either);
/// a phase that finished but whose completion was lost is recovered from its pointer instead. Each run is handled on
/// its own: one that keeps failing is backed off, counted in its <c>run.json</c> and in a metric, and the sweep goes on.
/// So the Assembler can be killed at any moment.
/// </summary>
public sealed class LeaseWatchdog(RunCoordinator coordinator, PlacementWatch placements, LeaseStore leases, PointerStore pointers, IBus bus,
    AssemblerOptions options, TimeProvider time, ILogger<LeaseWatchdog> log) : BackgroundService
{
    private readonly ConcurrentDictionary<string, LeaseObservation> observed = new();
    private readonly ConcurrentDictionary<string, long> unclaimedSince = new();
    private readonly ConcurrentDictionary<string, RunBackoff> backoff = new();
    private const long NeverFailed = long.MinValue;
    private long storageFailedAt = NeverFailed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.WatchdogInterval, time);
        do
        {
            await SweepAsync(stoppingToken);
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task SweepAsync(CancellationToken ct)
    {
        // Polling every few seconds is no part of any run's story; what it finds (a lost attempt) is, and says so.
        using var outside = CloudAssemblyTelemetry.OutsideRunTraces("watchdog sweep");
        IReadOnlyList<string> active;
        try
        {
            active = await coordinator.Runs.ActiveRunsAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            StorageFailed(e);
            return;
        }
        var placed = await placements.ObserveAsync(ct);
        if (placed is not null)
            await placements.RemoveOrphansAsync(placed, [.. active], ct);
        // Runs are independent: many at once (bounded), so hundreds of runs of many nodes each are all looked at
        // within a lease timeout, and one run that is slow to handle (an assembly) holds up no other.
        await Parallel.ForEachAsync(active, new ParallelOptions { MaxDegreeOfParallelism = options.SweepParallelism, CancellationToken = ct },
            async (runId, c) =>
            {
                if (backoff.TryGetValue(runId, out var wait) && time.GetTimestamp() < wait.RetryAt)
                    return;
                try
                {
                    await SweepRunAsync(runId, placed, c);
                    backoff.TryRemove(runId, out _);
                }
                catch (Exception e) when (!c.IsCancellationRequested)
                {
                    if (StorageFaults.IsUnavailable(e))
                        StorageFailed(e);
                    else
                        await RunFaultedAsync(runId, e, c);
                }
            });
    }

    private async Task SweepRunAsync(string runId, IReadOnlyList<PlacedAttempt>? placed, CancellationToken ct)
    {
        if (await coordinator.Runs.TryGetAsync(runId, ct) is not { } stored)
            return;
        var run = stored.Run;
        if (run.IsFinished)
        {
            // The Assembler that finished the run writes its report, then sends the outcome; only if it has not done so
            // within a lease timeout (it died) does the watchdog, in the same order. Then the run leaves the worklist.
            if (time.GetUtcNow() - run.UpdatedAt < options.LeaseTimeout)
                return;
            await coordinator.EnsureReportAsync(run, ct);
            await coordinator.SendOutboxAsync(run, bus, ct);
            await coordinator.Runs.Blobs.DeleteAsync(BlobLayout.Active(runId), ct);
            return;
        }
        if (run.Outbox.Count > 0)
        {
            // What is still in the outbox belongs to the run's story: sent under its trace, so the work it starts links to it.
            using var sending = CloudAssemblyTelemetry.StartRunActivity("send outbox", runId, run.TraceParent);
            await coordinator.SendOutboxAsync(run, bus, ct);
        }
        foreach (var (key, phase) in run.Phases.Where(p => p.Value.IsActive))
        {
            // The cluster's word on an attempt's Job (failed, preempted, waiting for admission) comes before its leases'.
            if (placed is not null && await placements.JudgeAsync(run, key, phase, placed, bus, ct))
                continue;
            var nodes = RunStateMachine.Nodes(run.Spec, key);
            // Each rank slot of the attempt has its own lease; the first that is lost decides for the whole attempt.
            for (var node = 0; node < nodes; node++)
                if (await CheckAsync(run, key, phase, node, nodes, ct))
                    break;
        }
        if (run.Dataset is null && run.DatasetRequested && await DatasetAbandonedAsync(run, ct) is { } why)
        {
            log.LogWarning("Run {RunId}: {Why}; asking for the dataset again", runId, why);
            await coordinator.ApplyAsync(runId, r => r.Dataset is null && r.DatasetGeneration == run.DatasetGeneration
                ? r with { DatasetRequested = false } : null, bus, ct);
        }
        if (RunStateMachine.Advance(run, time.GetUtcNow()) is { Messages.Count: > 0 } or { Assemble: true })
        {
            using var activity = CloudAssemblyTelemetry.StartRunActivity("reconcile", runId, run.TraceParent);
            await coordinator.ReconcileAsync(runId, bus, ct);
        }
    }

    /// <summary>Judges the lease of rank slot <paramref name="node"/>; true when that changed the run (the attempt was given up or sent again).</summary>
    private async Task<bool> CheckAsync(RunDocument run, PhaseKey key, PhaseState phase, int node, int nodes, CancellationToken ct)
    {
        var lease = await leases.TryReadAsync(BlobLayout.Lease(run.RunId, key, node), ct);
        var slot = $"{phase.AttemptId}/{node}";
        var who = nodes > 1 ? $" (node {node} of {nodes})" : "";
        if (lease is not { Lease: var held, ETag: var etag } || held.AttemptId != phase.AttemptId)
        {
            // Node 0 reports the attempt started; another slot may still be unclaimed then.
            if (coordinator.Launcher.ResendsUnclaimed && (phase.Status == PhaseStatus.Dispatched || node > 0) && Unclaimed(slot) > options.RedispatchAfter)
            {
                unclaimedSince.TryRemove(slot, out _);
                using var activity = CloudAssemblyTelemetry.StartRunActivity($"phase {key} sent again", run.RunId, run.TraceParent);
                activity?.SetTag(CloudAssemblyTelemetry.Phase, key.ToString());
                activity?.SetTag(CloudAssemblyTelemetry.Attempt, phase.Attempt);
                activity?.SetTag(CloudAssemblyTelemetry.Reason, $"no trainer claimed attempt {phase.Attempt} for {options.RedispatchAfter}");
                log.LogInformation("Run {RunId} {Phase}: attempt {Attempt}{Node} unclaimed for {Wait}; sending it again", run.RunId, key, phase.Attempt,
                    who, options.RedispatchAfter);
                await coordinator.ApplyAsync(run.RunId, r => RunStateMachine.OnUnclaimed(r, key, phase.AttemptId), bus, ct);
                return true;
            }
            return false;
        }
        unclaimedSince.TryRemove(slot, out _);
        var observation = $"{run.RunId}/{key}/{node}";
        var seen = Observe(observation, held, etag);
        var silent = time.GetElapsedTime(seen.ChangedAt);
        // The ranks move in lockstep (every step waits for all of them), and node 0 alone counts the steps it trained.
        var stalled = node == 0 ? time.GetElapsedTime(seen.ProgressedAt) : TimeSpan.Zero;
        if ((silent <= options.LeaseTimeout && stalled <= options.ProgressTimeout) || InStorageGrace)
            return false;
        observed.TryRemove(observation, out _);
        if (await pointers.TryReadAsync(BlobLayout.Pointer(run.RunId, key), ct) is { Pointer: { Finished: { } finished, Metrics: { } metrics } })
        {
            log.LogWarning("Run {RunId} {Phase}: attempt {Attempt} finished but its completion never arrived; recovering it", run.RunId, key, phase.Attempt);
            await coordinator.ApplyAsync(run.RunId, r => RunStateMachine.OnPhaseCompleted(r,
                new PhaseCompleted(run.RunId, key, held.AttemptId, finished, metrics), time.GetUtcNow()), bus, ct);
            return true;
        }
        var reason = (silent > options.LeaseTimeout
            ? $"trainer '{held.Trainer}'{who} stopped renewing its lease during attempt {phase.Attempt}"
            : $"trainer '{held.Trainer}'{who} renewed its lease but trained no step for {stalled.TotalMinutes:F0} min during attempt {phase.Attempt}")
            + (nodes > 1 ? $"; the whole attempt fails and all {nodes} nodes start again from the last checkpoint" : "");
        // The lost attempt's own span never ended (its trainer died): this one stands for it, from its start.
        using (var activity = CloudAssemblyTelemetry.StartRunActivity($"phase {key} attempt lost", run.RunId, run.TraceParent,
            startTime: held.StartedAt))
        {
            activity?.SetTag(CloudAssemblyTelemetry.Phase, key.ToString());
            activity?.SetTag(CloudAssemblyTelemetry.Attempt, held.Attempt);
            activity?.SetTag(CloudAssemblyTelemetry.Trainer, held.Trainer);
            activity?.SetTag(CloudAssemblyTelemetry.Reason, reason);
            activity?.SetStatus(ActivityStatusCode.Error, reason);
        }
        CloudAssemblyTelemetry.Redispatches.Add(1, new KeyValuePair<string, object?>(CloudAssemblyTelemetry.Phase, key.Kind.ToString()));
        log.LogWarning("Run {RunId} {Phase}: {Reason}; dispatching it again", run.RunId, key, reason);
        // Both times come from the trainer's clock, so their difference is its own elapsed time whatever its offset.
        var lost = Math.Max(0, (held.HeartbeatAt - held.StartedAt).TotalSeconds);
        CloudAssemblyTelemetry.DeviceSeconds.Add(lost, CloudAssemblyTelemetry.OfRun(run.RunId));
        await coordinator.ApplyAsync(run.RunId, r => RunStateMachine.OnLeaseExpired(r, key, held.AttemptId, lost, reason), bus, ct);
        return true;
    }

    /// <summary>Why the dataset should be asked for again (its request went unclaimed, or its build's lease went silent), or null.</summary>
    private async Task<string?> DatasetAbandonedAsync(RunDocument run, CancellationToken ct)
    {
        var lease = await leases.TryReadAsync(BlobLayout.DatasetLease(run.RunId), ct);
        if (lease is not { Lease: var held, ETag: var etag } || held.Attempt != run.DatasetGeneration)
            return Unclaimed($"{run.RunId}/dataset/{run.DatasetGeneration}") > options.RedispatchAfter
                ? $"nobody took dataset request {run.DatasetGeneration} up for {options.RedispatchAfter}"
                : null;
        var silent = time.GetElapsedTime(Observe($"{run.RunId}/dataset", held, etag).ChangedAt);
        return silent > options.LeaseTimeout && !InStorageGrace
            ? $"DataPrep '{held.Trainer}' stopped renewing the build's lease"
            : null;
    }

    /// <summary>
    /// Records what the watchdog sees of a lease now, on its own clock, and returns when it last changed and progressed.
    /// Silence counts only while the watchdog was looking: after a gap of half the lease timeout since it last saw the
    /// lease (its sweep hung on storage, or the Assembler itself was paused), the lease is timed afresh from now, so the
    /// trainer's renewal and the watchdog's first look after the gap do not race for the attempt.
    /// </summary>
    private LeaseObservation Observe(string key, PhaseLease held, string etag)
    {
        var now = time.GetTimestamp();
        var fresh = new LeaseObservation(held.AttemptId, etag, now, held.Progress, now, now);
        return observed.AddOrUpdate(key, _ => fresh,
            (_, old) => old.AttemptId != held.AttemptId || time.GetElapsedTime(old.SeenAt, now) > options.LeaseTimeout / 2 ? fresh
                : old with
                {
                    ETag = etag,
                    ChangedAt = old.ETag == etag ? old.ChangedAt : now,
                    Progress = held.Progress,
                    ProgressedAt = old.Progress == held.Progress ? old.ProgressedAt : now,
                    SeenAt = now,
                });
    }

    /// <summary>Whether storage failed within the grace period (then trainers may not have been able to renew either).</summary>
    private bool InStorageGrace => Interlocked.Read(ref storageFailedAt) is var failedAt && failedAt != NeverFailed
        && time.GetElapsedTime(failedAt) < options.StorageGrace;

    private TimeSpan Unclaimed(string key) => time.GetElapsedTime(unclaimedSince.GetOrAdd(key, _ => time.GetTimestamp()));

    private void StorageFailed(Exception e)
    {
        Interlocked.Exchange(ref storageFailedAt, time.GetTimestamp());
        log.LogWarning("Watchdog: blob storage failed ({Error}); no lease is given up for {Grace}", e.Message, options.StorageGrace);
    }

    private async Task RunFaultedAsync(string runId, Exception e, CancellationToken ct)
    {
        var failures = (backoff.TryGetValue(runId, out var previous) ? previous.Failures : 0) + 1;
        var delay = TimeSpan.FromTicks(Math.Min(options.WatchdogInterval.Ticks << Math.Min(failures, 16), options.MaxRunBackoff.Ticks));
        backoff[runId] = new RunBackoff(failures, time.GetTimestamp() + (long)(delay.TotalSeconds * time.TimestampFrequency));
        CloudAssemblyTelemetry.RunFaults.Add(1, CloudAssemblyTelemetry.OfRun(runId));
        log.LogError(e, "Watchdog: run {RunId} failed ({Failures} time(s) in a row); looking at it again in {Delay}", runId, failures, delay);
        try
        {
            await coordinator.Runs.UpdateAsync(runId, r => r with { Faults = r.Faults + 1, LastFault = e.Message }, ct);
        }
        catch (Exception recording) when (recording is not OperationCanceledException)
        {
            log.LogWarning("Watchdog: could not record the fault in run {RunId}'s run.json ({Error})", runId, recording.Message);
        }
    }
}
