using System.Collections.Concurrent;
using System.Diagnostics;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Orchestration.Telemetry;
using CloudAssembly.Storage;
using CloudAssembly.Training;
using CloudAssembly.Training.Distributed;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CloudAssembly.Orchestration.Trainer;

/// <summary>
/// Runs one claimed phase attempt in the background, after its command has been acknowledged (a training job never
/// holds a broker delivery): renews the lease, brings the phase's checkpoints down from blob storage so it resumes,
/// trains with the training core, sends progress, uploads every epoch's checkpoint and log, and reports completion or
/// failure. It stops when the run is cancelled or another attempt takes the lease over. On a phase of several pods
/// this trainer holds one rank slot: the ranks meet in the attempt's folder of the run's store (NCCL's id on CUDA, the
/// blob-store all-reduce on the CPU), every rank resumes from the same checkpoint, and node 0 alone writes and reports;
/// the other nodes keep their leases until the phase is done, and report only a failure (which fails the whole attempt).
/// </summary>
public sealed class PhaseWorker(IBlobStore store, LeaseStore leases, PointerStore pointers, RunStore runs, IBus bus, TrainerOptions options,
    TimeProvider time, IHostApplicationLifetime lifetime, ILogger<PhaseWorker> log) : IDisposable
{
    private readonly ConcurrentDictionary<string, RunningAttempt> running = new();
    private CancellationTokenRegistration onShutdown;
    private int listening;

    public int Running => running.Count;

    /// <summary>Stops every phase of <paramref name="runId"/> this trainer is running.</summary>
    public void Cancel(string runId)
    {
        foreach (var (_, job) in running.Where(j => j.Value.RunId == runId))
            job.Stop.Cancel();
    }

    /// <summary>Starts the claimed attempt; the task ends with how it ended (never faulted: a failure is reported and returned).</summary>
    public Task<AttemptEnd> Start(TrainPhase command, IDisposable slot, PhaseLease lease, string leaseETag, string? traceParent)
    {
        if (Interlocked.Exchange(ref listening, 1) == 0)
            onShutdown = lifetime.ApplicationStopping.Register(PreemptAll);
        var job = new RunningAttempt(command.RunId, new CancellationTokenSource());
        var slotKey = $"{command.AttemptId}/{command.NodeRank}";
        running[slotKey] = job;
        var done = Task.Factory.StartNew(async () =>
        {
            try
            {
                return await RunAsync(command, lease, leaseETag, traceParent, job);
            }
            finally
            {
                running.TryRemove(slotKey, out _);
                job.Stop.Dispose();
                job.Preempt.Dispose();
                slot.Dispose();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        job.Done = done;
        return done;
    }

    /// <summary>
    /// SIGTERM (a drain, a rollout, a spot preemption): every attempt stops after its next step, uploads a checkpoint of
    /// it and reports itself preempted; shutdown waits for that, within <see cref="TrainerOptions.ShutdownGrace"/>, while
    /// the bus is still up. An attempt that has not got there by three quarters of the grace is stopped at once (what
    /// it uploaded before stays), so its report still goes out in time.
    /// </summary>
    private void PreemptAll()
    {
        var jobs = running.Values.ToList();
        foreach (var job in jobs)
        {
            job.Preempted = true;
            job.Preempt.Cancel();
            job.Stop.CancelAfter(options.ShutdownGrace * 3 / 4);
        }
        if (jobs.Count > 0 && !Task.WaitAll([.. jobs.Select(j => j.Done ?? Task.CompletedTask)], options.ShutdownGrace))
            log.LogWarning("Shutting down with {Count} attempt(s) still stopping after {Grace}", jobs.Count(j => j.Done is { IsCompleted: false }), options.ShutdownGrace);
    }

    private async Task<AttemptEnd> RunAsync(TrainPhase command, PhaseLease claimed, string leaseETag, string? traceParent, RunningAttempt job)
    {
        // Training itself stops on a preemption at its next step; everything before it stops at once.
        using var halt = CancellationTokenSource.CreateLinkedTokenSource(job.Stop.Token, job.Preempt.Token);
        using var span = CloudAssemblyTelemetry.StartRunActivity($"phase {command.Phase}", command.RunId, traceParent);
        span?.SetTag(CloudAssemblyTelemetry.Phase, command.Phase.ToString());
        span?.SetTag(CloudAssemblyTelemetry.Attempt, command.Attempt);
        span?.SetTag(CloudAssemblyTelemetry.Trainer, options.Name);
        span?.SetTag(CloudAssemblyTelemetry.Node, command.NodeRank);
        await using var events = new EventPump(bus, span, log);
        var outcome = new AttemptOutcome(command, options.Name, events, span, log);
        using var lease = new AttemptLease(leases, runs, command, claimed, leaseETag, options, time, log);
        using var heartbeat = new CancellationTokenSource();
        var beating = lease.KeepAsync(job.Stop, heartbeat.Token);
        // Everything of this attempt lives in its own folder, deleted at the end: inputs are never taken from another
        // run or store that happened to use the same names.
        var attemptFolder = Path.Combine(options.WorkFolder, command.Nodes > 1 ? $"{command.AttemptId}.node{command.NodeRank}" : command.AttemptId);
        var sync = new PhaseFolderSync(store, pointers, lease, command, Path.Combine(attemptFolder, command.Phase.ToString()),
            m => log.LogWarning("Run {RunId} {Phase}: {Message}", command.RunId, command.Phase, m));
        try
        {
            await TrainAttemptAsync(command, job, lease, sync, events, span, attemptFolder, halt.Token);
            return AttemptEnd.Completed;
        }
        catch (OperationCanceledException stopped) when (job.Preempted || stopped is PeerPreemptedException)
        {
            // Stopped by the preemption itself (at a step or an epoch boundary, or before training), not by the grace
            // running out; or by another rank's, agreed at the same step (node 0 saved that step's checkpoint).
            var graceful = stopped is PeerPreemptedException || stopped.CancellationToken == job.Preempt.Token
                || (stopped.CancellationToken == halt.Token && !job.Stop.IsCancellationRequested);
            await outcome.PreemptedAsync(sync, graceful, options.ShutdownGrace);
            return AttemptEnd.Preempted;
        }
        catch (Exception e) when (e is AttemptFencedException || (e is OperationCanceledException && job.Stop.IsCancellationRequested))
        {
            outcome.Stopped(lease.LostReason ?? (e is AttemptFencedException ? e.Message : "the run was cancelled"));
            return AttemptEnd.Stopped;
        }
        catch (Exception e)
        {
            await outcome.FailedAsync(e);
            return AttemptEnd.Failed;
        }
        finally
        {
            await heartbeat.CancelAsync();
            await beating;
            if (Directory.Exists(attemptFolder))
                Directory.Delete(attemptFolder, recursive: true);
        }
    }

    /// <summary>
    /// The attempt from fence to completion: raise the pointer's fencing token, restore, train (on several pods, meeting
    /// the other ranks), then node 0 uploads the finished checkpoint, publishes it and reports the phase completed.
    /// </summary>
    private async Task TrainAttemptAsync(TrainPhase command, RunningAttempt job, AttemptLease lease, PhaseFolderSync sync, EventPump events,
        Activity? span, string attemptFolder, CancellationToken halt)
    {
        var clock = Stopwatch.StartNew();
        // Raising the pointer's fencing token first means no earlier attempt can publish from here on. Every node
        // raises it before it restores, so all ranks of this attempt resume from the same checkpoint.
        var pointer = BlobLayout.Pointer(command.RunId, command.Phase);
        if (!await lease.OutlastOutageAsync(c => pointers.FenceAsync(pointer, command.Attempt, c), "fencing the pointer", halt))
            throw new AttemptFencedException($"a newer attempt than {command.Attempt} already fenced {command.Phase}");
        var leader = command.NodeRank == 0;
        if (leader)
            await events.SendAsync(new PhaseStarted(command.RunId, command.Phase, command.AttemptId, options.Name, time.GetUtcNow(), command.Attempt), halt);
        var setup = new AttemptSetup(store, command, lease, options);
        var phase = await setup.PhaseOptionsAsync(attemptFolder, sync, halt);
        var data = await lease.OutlastOutageAsync(setup.DataAsync, "opening the dataset", halt);
        var meeting = command.Nodes > 1
            ? new RankMeeting(store, BlobLayout.AttemptFolder(command.RunId, command.Phase, command.Attempt), options.RendezvousTimeout)
            : null;
        var observer = new AttemptObserver(command, sync, lease, events, options, time, log, phase.SaveCkptNum, job.Stop.Token);
        var result = await Task.Run(() => new PhaseRunner(phase, data, observer.Observe, meeting: meeting).Run(job.Stop.Token, job.Preempt.Token), halt);
        if (!leader)
        {
            await FollowAsync(command, job.Stop.Token);
            return;
        }
        var eval = result.FinalEval ?? throw new InvalidOperationException($"{command.Phase} ended without an evaluation.");
        var seconds = clock.Elapsed.TotalSeconds;
        var metrics = new PhaseMetrics(eval.Acc1, eval.Acc5, eval.Loss, result.EpochsTrained, seconds, seconds, result.TrainImagesPerSecond,
            result.InitialEval?.Acc1);
        var finished = result.FinishedCheckpoint is { } local && command.Phase.Kind != PhaseKind.Eval
            ? await sync.UploadFinishedAsync(local, job.Stop.Token)
            : command.Inputs.Single();
        var checkpoint = await sync.PublishFinishedAsync(finished, metrics, job.Stop.Token);
        CloudAssemblyTelemetry.DeviceSeconds.Add(metrics.DeviceSeconds, CloudAssemblyTelemetry.OfRun(command.RunId));
        CloudAssemblyTelemetry.PhaseDuration.Record(metrics.WallSeconds, new KeyValuePair<string, object?>(CloudAssemblyTelemetry.Phase, command.Phase.Kind.ToString()));
        span?.SetTag(CloudAssemblyTelemetry.Acc1, eval.Acc1);
        span?.SetTag(CloudAssemblyTelemetry.EpochsTrained, result.EpochsTrained);
        span?.SetTag(CloudAssemblyTelemetry.DeviceSecondsSpent, Math.Round(metrics.DeviceSeconds, 1));
        span?.SetTag(CloudAssemblyTelemetry.ImagesPerSecondTrained, Math.Round(metrics.ImagesPerSecond));
        await events.SendAsync(new PhaseCompleted(command.RunId, command.Phase, command.AttemptId, checkpoint, metrics), CancellationToken.None);
        if (command.Nodes > 1)
            await RankExchanges.DeleteAsync(store, command, log);
        log.LogInformation("Run {RunId} {Phase} attempt {Attempt} completed: top-1 {Acc1:F2}% in {Seconds:F1} s",
            command.RunId, command.Phase, command.Attempt, eval.Acc1, seconds);
    }

    /// <summary>
    /// A node other than 0 has trained its share: it keeps renewing its lease until <c>run.json</c> says the phase is
    /// done (or the attempt was replaced), so the watchdog does not take its silence for a lost rank while node 0
    /// evaluates and uploads.
    /// </summary>
    private async Task FollowAsync(TrainPhase command, CancellationToken stop)
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, time, stop);
        }
        catch (OperationCanceledException)
        {
            log.LogInformation("Run {RunId} {Phase} attempt {Attempt}: node {Node} trained its share; node 0 reported the phase", command.RunId,
                command.Phase, command.Attempt, command.NodeRank);
        }
    }

    public void Dispose() => onShutdown.Dispose();
}
