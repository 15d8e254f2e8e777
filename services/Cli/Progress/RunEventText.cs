using CloudAssembly.Contracts;
using CloudAssembly.Cli.Client;

namespace CloudAssembly.Cli.Progress;

/// <summary>The line a run's event leaves in the output (null for the ones only a live bar shows: step progress).</summary>
public static class RunEventText
{
    public static string? Line(object message) => message switch
    {
        DatasetReady d => $"data   {d.Dataset.DataSet} {d.Dataset.DataPath}: {d.TrainSamples} training and {d.ValSamples} validation images{(d.Built ? " (built now)" : "")}",
        RunUnderway u => $"run {u.RunId}: {u.Status}",
        PhaseUnderway { Steps: > 0 } u => $"{u.Phase,-6} attempt {u.Attempt} on {u.Trainer}: epoch {u.Epoch + 1}/{u.Epochs}  step {u.Step}/{u.Steps}",
        PhaseUnderway u => $"{u.Phase,-6} attempt {u.Attempt} on {u.Trainer}: starting",
        PhaseStarted s => $"{s.Phase,-6} attempt {s.Attempt} started on {s.Trainer}",
        TrainerSilent s => $"{s.Phase,-6} no heartbeat from trainer {s.Trainer} for {s.Silence.TotalSeconds:F0} s (attempt {s.Attempt}); " +
            "unless it comes back, the phase is dispatched again when its lease expires",
        PhaseProgress { Accuracy: { } accuracy } p => $"{p.Phase,-6} epoch {p.Epoch + 1}/{p.Epochs} done: train loss {p.Loss:F4}  top-1 {accuracy:F2}%  {p.ImagesPerSecond:F0} img/s",
        PhaseCompleted c => $"{c.Phase,-6} completed: top-1 {c.Metrics.Acc1:F2}%  top-5 {c.Metrics.Acc5:F2}%  {c.Metrics.WallSeconds:F1} s → {c.Checkpoint}",
        PhaseFailed f => $"{f.Phase,-6} attempt failed{(f.Retryable ? " (will retry)" : "")}: {f.Reason}",
        PhaseRedispatched r => $"{r.Phase,-6} dispatched again as attempt {r.Attempt}: {r.Reason}",
        PhaseWaiting w => $"{w.Phase,-6} attempt {w.Attempt} {w.Reason}",
        RunFailed f => $"run {f.RunId} failed: {f.Reason}",
        RunCancelled c => $"run {c.RunId} cancelled: {c.Reason}",
        RunRejected r => r.Reason,
        PhasePreempted p => $"{p.Phase,-6} preempted: {p.Reason}",
        _ => null,
    };
}
