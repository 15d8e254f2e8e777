using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace CloudAssembly.Orchestration.Assembler.Launching;

/// <summary>
/// What the cluster shows of launched attempts, brought into the runs on every watchdog sweep: a failed Job fails its
/// attempt at once (a preempted one costs no attempt) instead of after the lease timeout; a Job Kueue has not admitted
/// shows why in <c>run.json</c> ("waiting for admission: …"); a Job whose attempt was replaced, or whose run ended, is
/// deleted; an attempt whose Job is gone (deleted by hand) is launched again.
/// </summary>
public sealed class PlacementWatch(RunCoordinator coordinator, TimeProvider time, ILogger<PlacementWatch> log)
{
    /// <summary>Jobs are created while the outbox is sent; one this much younger than its dispatch may not be listed yet.</summary>
    private static readonly TimeSpan CreationGrace = TimeSpan.FromMinutes(1);

    /// <summary>The launcher's view for one sweep, or null when it has none (the queue) or could not be read (logged).</summary>
    public async Task<IReadOnlyList<PlacedAttempt>?> ObserveAsync(CancellationToken ct)
    {
        try
        {
            return await coordinator.Launcher.ObserveAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("Watchdog: the cluster's Jobs could not be listed ({Error}); judging attempts by their leases only", e.Message);
            return null;
        }
    }

    /// <summary>Brings one active phase in line with its Jobs; true when that changed the run.</summary>
    public async Task<bool> JudgeAsync(RunDocument run, PhaseKey key, PhaseState phase, IReadOnlyList<PlacedAttempt> placed, IPublishEndpoint publish,
        CancellationToken ct)
    {
        var ofPhase = placed.Where(p => p.RunId == run.RunId && p.Phase == key).ToList();
        foreach (var stale in ofPhase.Where(p => p.IsLive && (p.AttemptId != phase.AttemptId || p.Generation != phase.Generation)))
            await TryRemoveAsync(stale, ct);
        var current = ofPhase.FirstOrDefault(p => p.AttemptId == phase.AttemptId && p.Generation == phase.Generation);
        var attemptId = phase.AttemptId!;
        switch (current?.State)
        {
            case null when run.Outbox.Count == 0 && phase.Status == PhaseStatus.Dispatched && time.GetUtcNow() - phase.DispatchedAt > CreationGrace:
                log.LogWarning("Run {RunId} {Phase}: the Job of attempt {Attempt} is gone; launching it again", run.RunId, key, phase.Attempt);
                await coordinator.ApplyAsync(run.RunId, r => RunStateMachine.OnUnclaimed(r, key, attemptId), publish, ct);
                return true;
            case PlacementState.Preempted:
                await coordinator.ApplyAsync(run.RunId, r => RunStateMachine.OnPhasePreempted(r,
                    new PhasePreempted(run.RunId, key, attemptId, $"the cluster stopped attempt {phase.Attempt}'s pods ({current.Detail})")), publish, ct);
                return true;
            case PlacementState.Failed:
                await coordinator.ApplyAsync(run.RunId, r => RunStateMachine.OnPhaseFailed(r, PodFailed(phase, current)), publish, ct);
                return true;
            case PlacementState.Waiting:
                return await WaitingAsync(run, key, attemptId, current.Detail, publish, ct);
            case PlacementState.Running when phase.Waiting is not null:
                return await WaitingAsync(run, key, attemptId, null, publish, ct);
            default:
                return false;
        }
    }

    /// <summary>
    /// The failure behind a preemption a pod reports, if there is one: when a pod of a Job fails, Kubernetes stops the
    /// Job's other pods with SIGTERM, and they report themselves preempted, usually before the watchdog sees the Job.
    /// The Job's own status decides (its condition is set before the pods are stopped). Null: a real preemption, or no
    /// Jobs to look at.
    /// </summary>
    public async Task<PlacedAttempt?> FailedJobAsync(PhasePreempted preempted, CancellationToken ct) =>
        (await ObserveAsync(ct))?.FirstOrDefault(p => p.RunId == preempted.RunId && p.Phase == preempted.Phase
            && p.AttemptId == preempted.AttemptId && p.State == PlacementState.Failed);

    /// <summary>The attempt's failure as its Job tells it.</summary>
    public static PhaseFailed PodFailed(PhaseState phase, PlacedAttempt job, double wallSeconds = 0, double deviceSeconds = 0) =>
        new(job.RunId, job.Phase, job.AttemptId, $"a pod of attempt {phase.Attempt} failed ({job.Detail})", Retryable: true, wallSeconds, deviceSeconds);

    /// <summary>Takes Jobs of runs that are no longer active off the cluster (a cancelled or failed run holds no devices).</summary>
    public async Task RemoveOrphansAsync(IReadOnlyList<PlacedAttempt> placed, IReadOnlyCollection<string> activeRuns, CancellationToken ct)
    {
        foreach (var orphan in placed.Where(p => p.IsLive && !activeRuns.Contains(p.RunId)))
            await TryRemoveAsync(orphan, ct);
    }

    /// <summary>A Job that cannot be deleted now is tried again on the next sweep; it is no fault of its run.</summary>
    private async Task TryRemoveAsync(PlacedAttempt attempt, CancellationToken ct)
    {
        try
        {
            await coordinator.Launcher.RemoveAsync(attempt, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("Watchdog: Job {Job} of {AttemptId} could not be deleted ({Error}); trying again next sweep", attempt.Name, attempt.AttemptId, e.Message);
        }
    }

    private async Task<bool> WaitingAsync(RunDocument run, PhaseKey key, string attemptId, string? waiting, IPublishEndpoint publish, CancellationToken ct)
    {
        if (run.Phase(key).Waiting == waiting)
            return false;
        await coordinator.ApplyAsync(run.RunId, r => RunStateMachine.OnWaiting(r, key, attemptId, waiting), publish, ct);
        return true;
    }
}
