using static TorchSharp.torch;

namespace CloudAssembly.Training.Loading;

/// <summary>
/// How a <see cref="BatchLoader"/> feeds training: batch size, whether a short last batch is dropped (training), how
/// many decode threads run and how many finished batches may wait ahead of the consumer.
/// </summary>
public sealed record LoaderOptions(int BatchSize, bool DropLast, int Workers, int Prefetch, long Seed, Device Device)
{
    /// <summary>Batches an epoch of <paramref name="samples"/> samples makes: a short last batch dropped or kept.</summary>
    public int BatchesPer(int samples) => DropLast ? samples / BatchSize : (samples + BatchSize - 1) / BatchSize;

    public static int DefaultWorkers => Math.Max(1, Environment.ProcessorCount);
}
