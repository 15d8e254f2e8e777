namespace CloudAssembly.Training.Engine;

/// <summary>
/// How far into an epoch training got: optimizer steps taken, and the epoch's running train-loss sum over its
/// micro-batches, images and seconds so far, so an epoch resumed here logs what an uninterrupted one would.
/// </summary>
public sealed record EpochPosition(int Step, double LossSum, int MicroBatches, long Images, double Seconds)
{
    public static EpochPosition Start { get; } = new(0, 0, 0, 0, 0);
}
