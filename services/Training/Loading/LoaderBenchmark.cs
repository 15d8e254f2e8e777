using System.Diagnostics;
using CloudAssembly.Data.Augmentation;
using CloudAssembly.Data.Loading;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Loading;

/// <summary>
/// Throughput of the whole input pipeline on the CPU — read, decode, the official DeiT training transform at
/// <paramref name="InputSize"/>, batch assembly — for a given number of decode threads: a few batches of epoch 0 warm
/// up (shard cache, JIT), then epoch 1 is timed whole, by the clock and by the process's CPU time.
/// </summary>
public sealed record LoaderBenchmark(int Threads, int BatchSize = 64, int InputSize = 224, int WarmupBatches = 3)
{
    public sealed record Result(int Threads, long Images, double Seconds, double CpuSeconds)
    {
        public double ImagesPerSecond => Images / Seconds;

        /// <summary>Images per second divided by the decode threads, each of which keeps one core busy.</summary>
        public double ImagesPerSecondPerThread => ImagesPerSecond / Threads;

        /// <summary>Images per CPU-second of the whole process (decode threads, the reader, the consumer, the GC).</summary>
        public double ImagesPerCpuSecond => Images / CpuSeconds;
    }

    public Result Run(ISampleSource source, CancellationToken cancellation = default)
    {
        var loader = new BatchLoader(source, new TrainTransform(new AugmentationOptions { InputSize = InputSize }), new SampleShape(3, InputSize),
            new LoaderOptions(BatchSize, DropLast: true, Threads, Prefetch: Threads + 2, Seed: 0, CPU));
        if (loader.BatchesPerEpoch == 0)
            throw new ArgumentException($"{source.Source} gives fewer than {BatchSize} samples an epoch; there is nothing to time.");
        foreach (var batch in loader.Epoch(0, cancellation).Take(WarmupBatches))
            batch.Dispose();
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long images = 0;
        foreach (var batch in loader.Epoch(1, cancellation))
        {
            images += batch.Size;
            batch.Dispose();
        }
        var seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return new Result(Threads, images, seconds, (process.TotalProcessorTime - cpu).TotalSeconds);
    }
}
