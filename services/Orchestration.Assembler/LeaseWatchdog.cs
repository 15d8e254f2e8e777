using System.Diagnostics;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Orchestration.Telemetry;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CloudAssembly.Orchestration.Assembler;

/// <summary>
/// Looks at every unfinished run on a timer. A phase whose current attempt's heartbeats stopped is given up and
/// dispatched again (the new attempt resumes from the phase's last checkpoint); a command that nobody claimed for a long
/// time is sent again (in case it was lost between storing and sending); anything the stored state asks for that has
/// not happened (assembly, a dispatch) is carried out. So the Assembler can be killed at any moment.
/// </summary>
public sealed class LeaseWatchdog(RunCoordinator coordinator, LeaseStore leases, IBus bus, AssemblerOptions options,
    ILogger<LeaseWatchdog> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.WatchdogInterval);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Watchdog sweep failed; trying again in {Interval}", options.WatchdogInterval);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task SweepAsync(CancellationToken ct)
    {
        // Polling every few seconds is no part of any run's story; what it finds (a lost attempt) is, and says so.
        using var outside = CloudAssemblyTelemetry.OutsideRunTraces("watchdog sweep");
        foreach (var runId in await coordinator.Runs.ActiveRunsAsync(ct))
        {
            if (await coordinator.Runs.TryGetAsync(runId, ct) is not { } stored)
                continue;
            var run = stored.Run;
            if (run.IsFinished)
            {
                await coordinator.Runs.Blobs.DeleteAsync(BlobLayout.Active(runId), ct);
                continue;
            }
            foreach (var (name, phase) in run.Phases.Where(p => p.Value.IsActive))
                await CheckAsync(run, PhaseKey.Parse(name), phase, ct);
            if (run.Dataset is null && run.DatasetRequested && DateTimeOffset.UtcNow - run.UpdatedAt > options.RedispatchAfter)
                await coordinator.ApplyAsync(runId, r => r.Dataset is null ? r with { DatasetRequested = false } : null, bus, ct);
            if (RunStateMachine.Advance(run, DateTimeOffset.UtcNow) is { Messages.Count: > 0 } or { Assemble: true })
            {
                using var activity = CloudAssemblyTelemetry.StartRunActivity("reconcile", runId, run.TraceParent);
                await coordinator.ReconcileAsync(runId, bus, ct);
            }
        }
    }

    private async Task CheckAsync(RunDocument run, PhaseKey key, PhaseState phase, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var lease = await leases.TryReadAsync(run.RunId, key.ToString(), ct);
        if (lease is { Lease: var held } && held.AttemptId == phase.AttemptId)
        {
            if (now - held.HeartbeatAt <= options.LeaseTimeout)
                return;
            // The lost attempt's own span never ended (its trainer died): this one stands for it, from its start.
            using var activity = CloudAssemblyTelemetry.StartRunActivity($"phase {key} attempt lost", run.RunId, run.TraceParent,
                startTime: held.StartedAt);
            var reason = $"trainer '{held.Trainer}' stopped sending heartbeats (last {held.HeartbeatAt:HH:mm:ss}); dispatched again";
            activity?.SetTag(CloudAssemblyTelemetry.Phase, key.ToString());
            activity?.SetTag(CloudAssemblyTelemetry.Attempt, held.Attempt);
            activity?.SetTag(CloudAssemblyTelemetry.Trainer, held.Trainer);
            activity?.SetTag(CloudAssemblyTelemetry.Reason, reason);
            activity?.SetStatus(ActivityStatusCode.Error, reason);
            CloudAssemblyTelemetry.Redispatches.Add(1, new KeyValuePair<string, object?>(CloudAssemblyTelemetry.Phase, key.Kind.ToString()));
            log.LogWarning("Run {RunId} {Phase}: no heartbeat from {Trainer} since {Heartbeat}; dispatching it again",
                run.RunId, key, held.Trainer, held.HeartbeatAt);
            var lost = (held.HeartbeatAt - held.StartedAt).TotalSeconds;
            CloudAssemblyTelemetry.DeviceSeconds.Add(lost, new KeyValuePair<string, object?>("cloudassembly.run_id", run.RunId));
            await coordinator.ApplyAsync(run.RunId, r => RunStateMachine.OnLeaseExpired(r, key, held.AttemptId, lost, held.Trainer), bus, ct);
        }
        else if (phase.Status == PhaseStatus.Dispatched && now - phase.DispatchedAt > options.RedispatchAfter)
        {
            using var activity = CloudAssemblyTelemetry.StartRunActivity($"phase {key} sent again", run.RunId, run.TraceParent);
            activity?.SetTag(CloudAssemblyTelemetry.Phase, key.ToString());
            activity?.SetTag(CloudAssemblyTelemetry.Attempt, phase.Attempt);
            activity?.SetTag(CloudAssemblyTelemetry.Reason, $"no trainer claimed attempt {phase.Attempt} since {phase.DispatchedAt:HH:mm:ss}");
            log.LogInformation("Run {RunId} {Phase}: attempt {Attempt} unclaimed since {Dispatched}; sending it again",
                run.RunId, key, phase.Attempt, phase.DispatchedAt);
            await coordinator.ApplyAsync(run.RunId, r => Redispatch(r, key, phase.AttemptId), bus, ct);
        }
    }

    /// <summary>The same attempt again (same id, so whoever claims it first runs it), re-sent by resetting it to pending.</summary>
    private static RunDocument? Redispatch(RunDocument run, PhaseKey key, string? attemptId)
    {
        var phase = run.Phase(key);
        return phase.Status == PhaseStatus.Dispatched && phase.AttemptId == attemptId
            ? run.WithPhase(key, phase with { Status = PhaseStatus.Pending, Attempt = phase.Attempt - 1 })
            : null;
    }
}
