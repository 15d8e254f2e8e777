using System.Diagnostics;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Distributed;

/// <summary>
/// Times in-place all-reduces of one flat fp32 buffer (ViT-B's 86.6 M parameters by default) on a rank, after one
/// untimed warm-up. Bus bandwidth is NCCL's figure of merit: 2 (W − 1) / W × bytes / time, what each rank's link carries.
/// </summary>
public static class AllReduceBenchmark
{
    public sealed record Result(int WorldSize, string Backend, long Elements, int Repeats, double Seconds)
    {
        public double Milliseconds => 1000 * Seconds / Repeats;

        public double AlgorithmGBps => Elements * 4.0 / (Seconds / Repeats) / 1e9;

        public double BusGBps => AlgorithmGBps * 2 * (WorldSize - 1) / WorldSize;
    }

    public static Result Run(ICollective ranks, long elements, int repeats)
    {
        using var buffer = ones(elements, dtype: ScalarType.Float32);
        ranks.AllReduce(buffer, ReduceOp.Sum);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < repeats; i++)
            ranks.AllReduce(buffer, ReduceOp.Sum);
        var seconds = clock.Elapsed.TotalSeconds;
        var expected = Math.Pow(ranks.WorldSize, repeats + 1);
        if (buffer[0].item<float>() != (float)expected)
            throw new InvalidOperationException($"The all-reduce summed to {buffer[0].item<float>()}, not {expected}.");
        return new Result(ranks.WorldSize, ranks.Backend, elements, repeats, seconds);
    }
}
