using System.Diagnostics;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Telemetry;
using CloudAssembly.Training.Engine;
using Microsoft.Extensions.Logging;

namespace CloudAssembly.Orchestration.Trainer;

/// <summary>
/// What a training attempt tells the world as it trains: each step proves progress to the lease (and waits while the
/// lease is overdue), progress goes out at most every <see cref="TrainerOptions.ProgressInterval"/>, each epoch's
/// checkpoint and log go up before the next epoch starts, and a checkpoint saved on preemption goes up at once.
/// </summary>
public sealed class AttemptObserver(TrainPhase command, PhaseFolderSync sync, AttemptLease lease, EventPump events, TrainerOptions options,
    TimeProvider time, ILogger log, int keepCheckpoints, CancellationToken ct)
{
    private readonly KeyValuePair<string, object?> run = CloudAssemblyTelemetry.OfRun(command.RunId);
    private long? lastProgress;

    public void Observe(PhaseEvent e)
    {
        switch (e)
        {
            case StepProgress s:
                lease.Progressed(s.Epoch, s.Step, s.Steps, s.Epochs);
                lease.WaitWhileOverdue(ct);
                if (lastProgress is { } last && time.GetElapsedTime(last) < options.ProgressInterval)
                    break;
                lastProgress = time.GetTimestamp();
                CloudAssemblyTelemetry.Loss.Record(s.Loss, run);
                events.Post(new PhaseProgress(command.RunId, command.Phase, command.AttemptId, s.Epoch, s.Epochs, s.Step, s.Steps,
                    s.Loss, null, s.ImagesPerSecond, time.GetUtcNow()));
                break;
            case EpochCompleted c:
                sync.UploadEpochAsync(c.Log.Epoch, c.CheckpointPath, keepCheckpoints, ct).GetAwaiter().GetResult();
                RecordEpoch(c);
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

    private void RecordEpoch(EpochCompleted c)
    {
        CloudAssemblyTelemetry.Accuracy.Record(c.Log.TestAcc1, run);
        CloudAssemblyTelemetry.Images.Add((long)(c.Log.TrainImagesPerSecond * c.Log.EpochSeconds), run);
        CloudAssemblyTelemetry.Epochs.Add(1, run);
        CloudAssemblyTelemetry.ImagesPerSecond.Record(c.Log.TrainImagesPerSecond, run);
        Activity.Current?.AddEvent(new ActivityEvent($"epoch {c.Log.Epoch + 1}/{c.Epochs}", tags: new ActivityTagsCollection
        {
            ["loss"] = c.Log.TrainLoss, ["top1"] = c.Log.TestAcc1, ["images_per_second"] = Math.Round(c.Log.TrainImagesPerSecond),
        }));
    }
}
