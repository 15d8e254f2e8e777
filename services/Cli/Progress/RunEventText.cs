using CloudAssembly.Contracts;
using CloudAssembly.Cli.Client;

namespace CloudAssembly.Cli.Progress;

/// <summary>The line a run's event leaves in the output (null for the ones only a live bar shows: step progress).</summary>
public static class RunEventText
{
    public static string? Line(object message) => message switch
    {
        DatasetReady d => $"data   {d.Dataset.DataSet} {d.Dataset.DataPath}: {d.TrainSamples} training and {d.ValSamples} validation images{(d.Built ? " (built now)" : "")}",
        PhaseStarted s => $"{s.Phase,-6} attempt {s.Attempt} started on {s.Trainer}",
        PhaseProgress { Accuracy: { } accuracy } p => $"{p.Phase,-6} epoch {p.Epoch + 1}/{p.Epochs} done: train loss {p.Loss:F4}  top-1 {accuracy:F2}%  {p.ImagesPerSecond:F0} img/s",
        PhaseCompleted c => $"{c.Phase,-6} completed: top-1 {c.Metrics.Acc1:F2}%  top-5 {c.Metrics.Acc5:F2}%  {c.Metrics.WallSeconds:F1} s → {c.Checkpoint}",
        PhaseFailed f => $"{f.Phase,-6} attempt failed{(f.Retryable ? " (will retry)" : "")}: {f.Reason}",
        PhaseRedispatched r => $"{r.Phase,-6} dispatched again as attempt {r.Attempt}: {r.Reason}",
        RunFailed f => $"run {f.RunId} failed: {f.Reason}",
        RunCancelled c => $"run {c.RunId} cancelled: {c.Reason}",
        RunRejected r => r.Reason,
        PhasePreempted p => $"{p.Phase,-6} preempted: {p.Reason}",
        _ => null,
    };
}
