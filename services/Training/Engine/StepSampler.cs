using CloudAssembly.Contracts;

namespace CloudAssembly.Training.Engine;

/// <summary>
/// Samples the training loss about <see cref="SamplesPerEpoch"/> times an epoch (every step of a short one) for the
/// step-level curves of the report and TensorBoard. Samples are held until the epoch's checkpoint and <c>log.txt</c> line
/// are written (or a preempted phase saved its step checkpoint), then appended to <c>steps.txt</c>: the file always
/// matches the checkpoint a resume starts from, so a resumed phase never logs a stretch twice.
/// </summary>
public sealed class StepSampler
{
    public const int SamplesPerEpoch = 50;

    private readonly List<StepLog> pending = [];
    private (double LossSum, int MicroBatches, long Images, double Seconds) last;

    public static int Interval(int steps) => Math.Max(1, steps / SamplesPerEpoch);

    public static bool IsDue(int step, int steps) => step % Interval(steps) == 0 || step == steps;

    /// <summary>Where the epoch's training starts: its beginning, or the position a resume inside it starts from.</summary>
    public void StartEpoch(double lossSum, int microBatches, long images, double seconds) => last = (lossSum, microBatches, images, seconds);

    /// <summary>A sample after optimizer step <paramref name="step"/>, from the epoch's running sums; over the stretch since the last sample.</summary>
    public void Record(int epoch, int step, int steps, double lossSum, int microBatches, double lr, long images, double seconds, int worldSize)
    {
        var batches = microBatches - last.MicroBatches;
        var elapsed = seconds - last.Seconds;
        pending.Add(new StepLog(epoch, step, steps, batches > 0 ? (lossSum - last.LossSum) / batches : 0, lr,
            elapsed > 0 ? (images - last.Images) * worldSize / elapsed : 0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0));
        last = (lossSum, microBatches, images, seconds);
    }

    /// <summary>Appends the samples taken since the last call to <c>steps.txt</c> in <paramref name="folder"/>.</summary>
    public void AppendTo(string folder)
    {
        if (pending.Count == 0)
            return;
        Directory.CreateDirectory(folder);
        File.AppendAllLines(Path.Combine(folder, StepLog.FileName), pending.Select(s => s.ToJson()));
        pending.Clear();
    }
}
