using CloudAssembly.Contracts;

namespace CloudAssembly.Reporting.TensorBoard;

/// <summary>
/// A run's scalars as TensorBoard event files, one folder per phase (<c>PT/</c>, <c>MT_0/</c>, …) so
/// <c>tensorboard --logdir</c> over the run shows each phase as a run of its own: the sampled train loss, lr and
/// throughput at their optimizer step (<c>train/…</c>), and each epoch's train loss, lr and eval top-1 at the epoch's last
/// step (<c>epoch/…</c>). A phase without step samples counts its steps in epochs.
/// </summary>
public static class TensorBoardExport
{
    public const string TrainLoss = "train/loss";
    public const string TrainLr = "train/lr";
    public const string TrainThroughput = "train/images_per_second";
    public const string EpochLoss = "epoch/train_loss";
    public const string EpochLr = "epoch/lr";
    public const string EvalTop1 = "epoch/eval_top1";

    /// <summary>The event files by relative path, <c>{phase}/events.out.tfevents.{seconds}.cloudassembly</c>.</summary>
    public static IReadOnlyDictionary<string, byte[]> Render(RunReport report)
    {
        var startedAt = report.StartedAt ?? DateTimeOffset.UnixEpoch;
        var files = new Dictionary<string, byte[]>();
        foreach (var phase in report.Phases.Where(p => p.Curve.Count > 0 || p.Steps.Count > 0))
        {
            var start = startedAt.AddSeconds(phase.StartSeconds ?? 0).ToUnixTimeMilliseconds() / 1000.0;
            var file = new EventFile(start);
            foreach (var s in phase.Steps)
            {
                file.Scalar(TrainLoss, s.GlobalStep, s.Time, s.TrainLoss)
                    .Scalar(TrainLr, s.GlobalStep, s.Time, s.TrainLr)
                    .Scalar(TrainThroughput, s.GlobalStep, s.Time, s.TrainImagesPerSecond);
            }
            foreach (var c in phase.Curve)
            {
                var (step, time) = EpochEnd(phase.Steps, c.Epoch, start);
                file.Scalar(EpochLoss, step, time, c.TrainLoss).Scalar(EpochLr, step, time, c.TrainLr).Scalar(EvalTop1, step, time, c.TestAcc1);
            }
            files[$"{phase.Phase}/events.out.tfevents.{(long)start}.cloudassembly"] = file.ToArray();
        }
        return files;
    }

    /// <summary>The optimizer step an epoch ended at, and when (its last sample's time, else the phase's start).</summary>
    private static (long Step, double Time) EpochEnd(IReadOnlyList<StepLog> steps, int epoch, double phaseStart)
    {
        if (steps.Count == 0)
            return (epoch + 1, phaseStart);
        var perEpoch = steps[^1].Steps;
        var last = steps.LastOrDefault(s => s.Epoch == epoch);
        return ((long)(epoch + 1) * perEpoch, last?.Time ?? phaseStart);
    }
}
