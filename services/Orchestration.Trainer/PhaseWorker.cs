using System.Collections.Concurrent;
using System.Diagnostics;
using CloudAssembly.Contracts;
using CloudAssembly.Data.Datasets;
using CloudAssembly.Data.Images;
using CloudAssembly.Data.Shards;
using CloudAssembly.Model;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Orchestration.Telemetry;
using CloudAssembly.Pipeline;
using CloudAssembly.Storage;
using CloudAssembly.Training;
using CloudAssembly.Training.Distributed;
using CloudAssembly.Training.Engine;
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

    public Task Start(TrainPhase command, IDisposable slot, PhaseLease lease, string leaseETag, string? traceParent)
    {
        if (Interlocked.Exchange(ref listening, 1) == 0)
            onShutdown = lifetime.ApplicationStopping.Register(PreemptAll);
        var job = new RunningAttempt(command.RunId, new CancellationTokenSource());
        var slotKey = $"{command.AttemptId}/{command.NodeRank}";
        running[slotKey] = job;
        job.Done = Task.Factory.StartNew(async () =>
        {
            try
            {
                await RunAsync(command, lease, leaseETag, traceParent, job);
            }
            finally
            {
                running.TryRemove(slotKey, out _);
                job.Stop.Dispose();
                job.Preempt.Dispose();
                slot.Dispose();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        return job.Done;
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

    private async Task RunAsync(TrainPhase command, PhaseLease claimed, string leaseETag, string? traceParent, RunningAttempt job)
    {
        var stop = job.Stop;
        // Training itself stops on a preemption at its next step; everything before it stops at once.
        using var halt = CancellationTokenSource.CreateLinkedTokenSource(stop.Token, job.Preempt.Token);
        using var span = CloudAssemblyTelemetry.StartRunActivity($"phase {command.Phase}", command.RunId, traceParent);
        span?.SetTag("cloudassembly.phase", command.Phase);
        span?.SetTag("cloudassembly.attempt", command.Attempt);
        span?.SetTag("cloudassembly.trainer", options.Name);
        span?.SetTag("cloudassembly.node", command.NodeRank);
        var leader = command.NodeRank == 0;
        var who = command.Nodes > 1 ? $"node {command.NodeRank} of {command.Nodes} (trainer '{options.Name}'): " : "";
        await using var events = new EventPump(bus, span, log);
        var clock = Stopwatch.StartNew();
        using var lease = new AttemptLease(leases, runs, command, claimed, leaseETag, options, time, log);
        using var heartbeat = new CancellationTokenSource();
        var beating = lease.KeepAsync(stop, heartbeat.Token);
        // Everything of this attempt lives in its own folder, deleted at the end: inputs are never taken from another
        // run or store that happened to use the same names.
        var attemptFolder = Path.Combine(options.WorkFolder, command.Nodes > 1 ? $"{command.AttemptId}.node{command.NodeRank}" : command.AttemptId);
        var folder = Path.Combine(attemptFolder, command.Phase);
        PhaseFolderSync? sync = null;
        try
        {
            // Raising the pointer's fencing token first means no earlier attempt can publish from here on. Every node
            // raises it before it restores, so all ranks of this attempt resume from the same checkpoint.
            if (!await lease.OutlastOutageAsync(c => pointers.FenceAsync(command.RunId, command.Phase, command.Attempt, c), "fencing the pointer", halt.Token))
                throw new AttemptFencedException($"a newer attempt than {command.Attempt} already fenced {command.Phase}");
            if (leader)
                await events.SendAsync(new PhaseStarted(command.RunId, command.Phase, command.AttemptId, options.Name, time.GetUtcNow(), command.Attempt),
                    halt.Token);
            sync = new PhaseFolderSync(store, pointers, lease, command, folder,
                m => log.LogWarning("Run {RunId} {Phase}: {Message}", command.RunId, command.Phase, m));
            var phaseOptions = await PrepareAsync(command, attemptFolder, folder, sync, lease, halt.Token);
            var data = await lease.OutlastOutageAsync(c => DataAsync(command.Dataset, c), "opening the dataset", halt.Token);
            var meeting = command.Nodes > 1
                ? new RankMeeting(store, BlobLayout.AttemptFolder(command.RunId, command.Phase, command.Attempt), options.RendezvousTimeout)
                : null;
            var result = await Task.Run(() => Train(command, phaseOptions, data, sync, lease, events, meeting, stop.Token, job.Preempt.Token), halt.Token);
            if (!leader)
            {
                await FollowAsync(command, stop.Token);
                return;
            }
            var eval = result.FinalEval ?? throw new InvalidOperationException($"{command.Phase} ended without an evaluation.");
            var metrics = new PhaseMetrics(eval.Acc1, eval.Acc5, eval.Loss, result.EpochsTrained, clock.Elapsed.TotalSeconds,
                clock.Elapsed.TotalSeconds, result.TrainImagesPerSecond, result.InitialEval?.Acc1);
            var finished = result.FinishedCheckpoint is { } local && PhaseKey.Parse(command.Phase).Kind != PhaseKind.Eval
                ? await sync.UploadFinishedAsync(local, stop.Token)
                : command.Inputs.Single();
            var checkpoint = await sync.PublishFinishedAsync(finished, metrics, stop.Token);
            var phaseTag = new KeyValuePair<string, object?>(CloudAssemblyTelemetry.Phase, PhaseKey.Parse(command.Phase).Kind.ToString());
            CloudAssemblyTelemetry.DeviceSeconds.Add(metrics.DeviceSeconds, new KeyValuePair<string, object?>("cloudassembly.run_id", command.RunId));
            CloudAssemblyTelemetry.PhaseDuration.Record(metrics.WallSeconds, phaseTag);
            span?.SetTag("cloudassembly.acc1", eval.Acc1);
            span?.SetTag("cloudassembly.epochs", result.EpochsTrained);
            span?.SetTag("cloudassembly.device_seconds", Math.Round(metrics.DeviceSeconds, 1));
            span?.SetTag("cloudassembly.images_per_second", Math.Round(metrics.ImagesPerSecond));
            await events.SendAsync(new PhaseCompleted(command.RunId, command.Phase, command.AttemptId, checkpoint, metrics), CancellationToken.None);
            if (command.Nodes > 1)
                await RankExchanges.DeleteAsync(store, command, log);
            log.LogInformation("Run {RunId} {Phase} attempt {Attempt} completed: top-1 {Acc1:F2}% in {Seconds:F1} s",
                command.RunId, command.Phase, command.Attempt, eval.Acc1, clock.Elapsed.TotalSeconds);
        }
        catch (OperationCanceledException stopped) when (job.Preempted)
        {
            // Stopped by the preemption itself (at a step or an epoch boundary, or before training), not by the grace running out.
            var graceful = stopped.CancellationToken == job.Preempt.Token || (stopped.CancellationToken == halt.Token && !stop.IsCancellationRequested);
            var reason = PreemptionReason(command, sync, graceful);
            log.LogWarning("Run {RunId} {Phase}: preempted; {Reason}", command.RunId, command.Phase, reason);
            span?.SetTag(CloudAssemblyTelemetry.Reason, $"preempted: {reason}");
            using var grace = new CancellationTokenSource(options.ShutdownGrace);
            await events.SendAsync(new PhasePreempted(command.RunId, command.Phase, command.AttemptId, reason), grace.Token);
        }
        catch (Exception e) when (e is AttemptFencedException || (e is OperationCanceledException && stop.IsCancellationRequested))
        {
            log.LogWarning("Run {RunId} {Phase} attempt {Attempt} stopped without writing further: {Reason}", command.RunId, command.Phase,
                command.Attempt, lease.LostReason ?? (e is AttemptFencedException ? e.Message : "run cancelled"));
            span?.SetTag(CloudAssemblyTelemetry.Reason, $"stopped: {lease.LostReason ?? (e is AttemptFencedException ? e.Message : "the run was cancelled")}");
        }
        catch (Exception e)
        {
            var retryable = e is not (ArgumentException or CheckpointMismatchException or NonFiniteLossException or NotSupportedException
                or FileNotFoundException or DirectoryNotFoundException or CorruptImageException);
            log.LogError(e, "Run {RunId} {Phase} attempt {Attempt} failed", command.RunId, command.Phase, command.Attempt);
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            span?.SetTag(CloudAssemblyTelemetry.Reason, e.Message);
            await events.SendAsync(new PhaseFailed(command.RunId, command.Phase, command.AttemptId, who + AttemptFailureReason.For(e, options.Name), retryable), CancellationToken.None);
        }
        finally
        {
            await heartbeat.CancelAsync();
            await beating;
            if (Directory.Exists(attemptFolder))
                Directory.Delete(attemptFolder, recursive: true);
        }
    }

    /// <summary>What a preemption costs the phase, as <see cref="PhasePreempted"/> tells it.</summary>
    private string PreemptionReason(TrainPhase command, PhaseFolderSync? sync, bool graceful) =>
        $"trainer '{options.Name}' was stopped (SIGTERM) during attempt {command.Attempt}; " + (graceful
            ? sync?.UploadedWithin is { } within
                ? $"it stopped after step {within.Step} of epoch {within.Epoch} and uploaded a checkpoint there: the phase resumes at step {within.Step + 1}, nothing is redone"
                : sync?.LastUploadedEpoch is { } done
                    ? $"it stopped at the end of epoch {done}, whose checkpoint is uploaded: nothing is redone"
                    : "it stopped before training a step: nothing is redone"
            : "the steps since " + (sync?.LastUploadedEpoch is { } epoch ? $"epoch {epoch}'s checkpoint" : "the phase's last checkpoint") + " are redone");

    /// <summary>Brings down the phase's own checkpoints and its inputs, and spells the phase as the seed's scripts would.</summary>
    private async Task<TrainOptions> PrepareAsync(TrainPhase command, string attemptFolder, string folder, PhaseFolderSync sync, AttemptLease lease,
        CancellationToken ct)
    {
        var key = PhaseKey.Parse(command.Phase);
        var inputs = new List<string>();
        foreach (var input in command.Inputs)
        {
            var local = Path.Combine(attemptFolder, "inputs", input.Replace('/', '_'));
            await lease.OutlastOutageAsync(c => store.DownloadFileAsync(input, local, c), $"downloading {input}", ct);
            inputs.Add(local);
        }
        var spec = command.Spec;
        var phase = key.Kind switch
        {
            PhaseKind.PT => PhasePlanner.Pretrain(spec, folder, options.Device),
            PhaseKind.MT => PhasePlanner.Module(spec, key.Index!.Value, inputs[0], folder, options.Device),
            PhaseKind.FT => PhasePlanner.Finetune(spec, inputs[0], folder, options.Device),
            PhaseKind.E2E => PhasePlanner.Baseline(spec, folder, options.Device),
            _ => PhasePlanner.Evaluation(spec, inputs[0], folder, options.Device),
        };
        if (key.Kind != PhaseKind.Eval)
            await sync.RestoreAsync(ct);
        // Node n of a phase on several pods holds the global ranks n × devices onwards.
        return phase with
        {
            DataSet = command.Dataset.DataSet, DataPath = command.Dataset.DataPath, LibTorch = options.LibTorch,
            Rank = command.NodeRank * Math.Max(phase.Devices.Count, 1),
        };
    }

    /// <summary>A dataset version DataPrep built in this cluster's storage is read through this trainer's own connection.</summary>
    private async Task<Func<TrainOptions, TorchSharp.torch.Device, PhaseData>> DataAsync(DatasetRef dataset, CancellationToken ct)
    {
        if (!DatasetCatalog.IsShards(dataset.DataSet) || dataset is not { Name: { } name, Version: { } version })
            return PhaseDataFactory.Create;
        var shards = await ShardedDataset.OpenAsync(store, name, version, cancellationToken: ct);
        return (options, device) => PhaseDataFactory.Create(options, device, shards);
    }

    private PhaseResult Train(TrainPhase command, TrainOptions phase, Func<TrainOptions, TorchSharp.torch.Device, PhaseData> data,
        PhaseFolderSync sync, AttemptLease lease, EventPump events, RankMeeting? meeting, CancellationToken ct, CancellationToken preemption)
    {
        long? lastProgress = null;
        var tags = new KeyValuePair<string, object?>("cloudassembly.run_id", command.RunId);
        void Observe(PhaseEvent e)
        {
            switch (e)
            {
                case StepProgress s:
                    lease.Progressed((long)s.Epoch * s.Steps + s.Step);
                    lease.WaitWhileOverdue(ct);
                    if (lastProgress is { } last && time.GetElapsedTime(last) < options.ProgressInterval)
                        break;
                    lastProgress = time.GetTimestamp();
                    CloudAssemblyTelemetry.Loss.Record(s.Loss, tags);
                    events.Post(new PhaseProgress(command.RunId, command.Phase, command.AttemptId, s.Epoch, s.Epochs, s.Step, s.Steps,
                        s.Loss, null, s.ImagesPerSecond, time.GetUtcNow()));
                    break;
                case EpochCompleted c:
                    sync.UploadEpochAsync(c.Log.Epoch, c.CheckpointPath, phase.SaveCkptNum, ct).GetAwaiter().GetResult();
                    CloudAssemblyTelemetry.Accuracy.Record(c.Log.TestAcc1, tags);
                    CloudAssemblyTelemetry.Images.Add((long)(c.Log.TrainImagesPerSecond * c.Log.EpochSeconds), tags);
                    CloudAssemblyTelemetry.Epochs.Add(1, tags);
                    CloudAssemblyTelemetry.ImagesPerSecond.Record(c.Log.TrainImagesPerSecond, tags);
                    Activity.Current?.AddEvent(new ActivityEvent($"epoch {c.Log.Epoch + 1}/{c.Epochs}", tags: new ActivityTagsCollection
                    {
                        ["loss"] = c.Log.TrainLoss, ["top1"] = c.Log.TestAcc1, ["images_per_second"] = Math.Round(c.Log.TrainImagesPerSecond),
                    }));
                    events.Post(new PhaseProgress(command.RunId, command.Phase, command.AttemptId, c.Log.Epoch, c.Epochs, 0, 0,
                        c.Log.TrainLoss, c.Log.TestAcc1, c.Log.TrainImagesPerSecond, time.GetUtcNow()));
                    break;
                case StepCheckpointSaved c:
                    sync.UploadWithinEpochAsync(c.Epoch, c.Step, c.CheckpointPath, ct).GetAwaiter().GetResult();
                    break;
                case PhaseMessage m:
                    log.Log(m.IsWarning ? LogLevel.Warning : LogLevel.Information, "Run {RunId} {Phase}: {Message}", command.RunId, command.Phase, m.Text);
                    break;
            }
        }
        return new PhaseRunner(phase, data, Observe, meeting: meeting).Run(ct, preemption);
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
