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
using CloudAssembly.Training.Engine;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace CloudAssembly.Orchestration.Trainer;

/// <summary>
/// Runs one claimed phase attempt in the background, after its command has been acknowledged (a training job never
/// holds a broker delivery): renews the lease, brings the phase's checkpoints down from blob storage so it resumes,
/// trains with the training core, sends progress, uploads every epoch's checkpoint and log, and reports completion or
/// failure. It stops when the run is cancelled or another attempt takes the lease over.
/// </summary>
public sealed class PhaseWorker(IBlobStore store, LeaseStore leases, IBus bus, TrainerOptions options, ILogger<PhaseWorker> log)
{
    private readonly ConcurrentDictionary<string, (string RunId, CancellationTokenSource Stop)> running = new();

    public int Running => running.Count;

    /// <summary>Stops every phase of <paramref name="runId"/> this trainer is running.</summary>
    public void Cancel(string runId)
    {
        foreach (var (_, job) in running.Where(j => j.Value.RunId == runId))
            job.Stop.Cancel();
    }

    public Task Start(TrainPhase command, IDisposable slot, string leaseETag, string? traceParent)
    {
        var stop = new CancellationTokenSource();
        running[command.AttemptId] = (command.RunId, stop);
        return Task.Factory.StartNew(async () =>
        {
            try
            {
                await RunAsync(command, leaseETag, traceParent, stop);
            }
            finally
            {
                running.TryRemove(command.AttemptId, out _);
                stop.Dispose();
                slot.Dispose();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    private async Task RunAsync(TrainPhase command, string leaseETag, string? traceParent, CancellationTokenSource stop)
    {
        using var span = CloudAssemblyTelemetry.StartRunActivity($"phase {command.Phase}", command.RunId, traceParent);
        span?.SetTag("cloudassembly.phase", command.Phase);
        span?.SetTag("cloudassembly.attempt", command.Attempt);
        span?.SetTag("cloudassembly.trainer", options.Name);
        await using var events = new EventPump(bus, span, log);
        var clock = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        var lease = new PhaseLease(command.AttemptId, command.Attempt, options.Name, started, started, 0);
        using var heartbeat = new CancellationTokenSource();
        var beating = HeartbeatAsync(command, lease, leaseETag, stop, heartbeat.Token);
        // Everything of this attempt lives in its own folder, deleted at the end: inputs are never taken from another
        // run or store that happened to use the same names.
        var attemptFolder = Path.Combine(options.WorkFolder, command.AttemptId);
        var folder = Path.Combine(attemptFolder, command.Phase);
        try
        {
            await events.SendAsync(new PhaseStarted(command.RunId, command.Phase, command.AttemptId, options.Name, started, command.Attempt), stop.Token);
            var sync = new PhaseFolderSync(store, command.RunId, command.Phase, folder);
            var phaseOptions = await PrepareAsync(command, attemptFolder, folder, sync, stop.Token);
            var data = await DataAsync(command.Dataset, stop.Token);
            var result = await Task.Run(() => Train(command, phaseOptions, data, sync, events, stop.Token), stop.Token);
            var checkpoint = result.FinishedCheckpoint is { } local && PhaseKey.Parse(command.Phase).Kind != PhaseKind.Eval
                ? await sync.UploadFinishedAsync(local, stop.Token)
                : command.Inputs.Single();
            var eval = result.FinalEval ?? throw new InvalidOperationException($"{command.Phase} ended without an evaluation.");
            var metrics = new PhaseMetrics(eval.Acc1, eval.Acc5, eval.Loss, result.EpochsTrained, clock.Elapsed.TotalSeconds,
                clock.Elapsed.TotalSeconds, result.TrainImagesPerSecond, result.InitialEval?.Acc1);
            var phaseTag = new KeyValuePair<string, object?>(CloudAssemblyTelemetry.Phase, PhaseKey.Parse(command.Phase).Kind.ToString());
            CloudAssemblyTelemetry.DeviceSeconds.Add(metrics.DeviceSeconds, new KeyValuePair<string, object?>("cloudassembly.run_id", command.RunId));
            CloudAssemblyTelemetry.PhaseDuration.Record(metrics.WallSeconds, phaseTag);
            span?.SetTag("cloudassembly.acc1", eval.Acc1);
            span?.SetTag("cloudassembly.epochs", result.EpochsTrained);
            span?.SetTag("cloudassembly.device_seconds", Math.Round(metrics.DeviceSeconds, 1));
            span?.SetTag("cloudassembly.images_per_second", Math.Round(metrics.ImagesPerSecond));
            await events.SendAsync(new PhaseCompleted(command.RunId, command.Phase, command.AttemptId, checkpoint, metrics), CancellationToken.None);
            log.LogInformation("Run {RunId} {Phase} attempt {Attempt} completed: top-1 {Acc1:F2}% in {Seconds:F1} s",
                command.RunId, command.Phase, command.Attempt, eval.Acc1, clock.Elapsed.TotalSeconds);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            log.LogWarning("Run {RunId} {Phase} attempt {Attempt} stopped (run cancelled or lease taken over)", command.RunId, command.Phase, command.Attempt);
            span?.SetTag(CloudAssemblyTelemetry.Reason, "stopped: the run was cancelled or a newer attempt took the phase over");
        }
        catch (Exception e)
        {
            var retryable = e is not (ArgumentException or CheckpointMismatchException or NonFiniteLossException or NotSupportedException
                or FileNotFoundException or DirectoryNotFoundException or CorruptImageException);
            log.LogError(e, "Run {RunId} {Phase} attempt {Attempt} failed", command.RunId, command.Phase, command.Attempt);
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            span?.SetTag(CloudAssemblyTelemetry.Reason, e.Message);
            await events.SendAsync(new PhaseFailed(command.RunId, command.Phase, command.AttemptId, e.Message, retryable), CancellationToken.None);
        }
        finally
        {
            await heartbeat.CancelAsync();
            await beating;
            if (Directory.Exists(attemptFolder))
                Directory.Delete(attemptFolder, recursive: true);
        }
    }

    /// <summary>Brings down the phase's own checkpoints and its inputs, and spells the phase as the seed's scripts would.</summary>
    private async Task<TrainOptions> PrepareAsync(TrainPhase command, string attemptFolder, string folder, PhaseFolderSync sync, CancellationToken ct)
    {
        var key = PhaseKey.Parse(command.Phase);
        var inputs = new List<string>();
        foreach (var input in command.Inputs)
        {
            var local = Path.Combine(attemptFolder, "inputs", input.Replace('/', '_'));
            await store.DownloadFileAsync(input, local, ct);
            inputs.Add(local);
        }
        var spec = command.Spec;
        var phase = key.Kind switch
        {
            PhaseKind.PT => PhasePlanner.Pretrain(spec, folder, options.Device),
            PhaseKind.MT => PhasePlanner.Module(spec, key.Index!.Value, inputs[0], folder, options.Device),
            PhaseKind.FT => PhasePlanner.Finetune(spec, [.. Enumerable.Repeat(inputs[0], spec.NumModules)], folder, options.Device),
            PhaseKind.E2E => PhasePlanner.Baseline(spec, folder, options.Device),
            _ => PhasePlanner.Evaluation(spec, inputs[0], folder, options.Device),
        };
        if (key.Kind != PhaseKind.Eval)
            await sync.RestoreAsync(phase.SaveCkptNum, ct);
        return phase with { DataSet = command.Dataset.DataSet, DataPath = command.Dataset.DataPath, LibTorch = options.LibTorch };
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
        PhaseFolderSync sync, EventPump events, CancellationToken ct)
    {
        var lastProgress = DateTimeOffset.MinValue;
        var tags = new KeyValuePair<string, object?>("cloudassembly.run_id", command.RunId);
        void Observe(PhaseEvent e)
        {
            switch (e)
            {
                case StepProgress s when DateTimeOffset.UtcNow - lastProgress >= options.ProgressInterval:
                    lastProgress = DateTimeOffset.UtcNow;
                    CloudAssemblyTelemetry.Loss.Record(s.Loss, tags);
                    events.Post(new PhaseProgress(command.RunId, command.Phase, command.AttemptId, s.Epoch, s.Epochs, s.Step, s.Steps,
                        s.Loss, null, s.ImagesPerSecond, DateTimeOffset.UtcNow));
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
                        c.Log.TrainLoss, c.Log.TestAcc1, c.Log.TrainImagesPerSecond, DateTimeOffset.UtcNow));
                    break;
                case PhaseMessage m:
                    log.Log(m.IsWarning ? LogLevel.Warning : LogLevel.Information, "Run {RunId} {Phase}: {Message}", command.RunId, command.Phase, m.Text);
                    break;
            }
        }
        return new PhaseRunner(phase, data, Observe).Run(ct);
    }

    private async Task HeartbeatAsync(TrainPhase command, PhaseLease lease, string etag, CancellationTokenSource stop, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(options.HeartbeatInterval, ct);
                try
                {
                    lease = lease with { HeartbeatAt = DateTimeOffset.UtcNow };
                    etag = await leases.HeartbeatAsync(command.RunId, command.Phase, lease, etag, ct);
                }
                catch (BlobConditionFailedException)
                {
                    log.LogWarning("Run {RunId} {Phase}: attempt {Attempt} was taken over by a newer attempt; stopping", command.RunId, command.Phase, command.Attempt);
                    await stop.CancelAsync();
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning("Run {RunId} {Phase}: heartbeat failed ({Error}); retrying", command.RunId, command.Phase, e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
