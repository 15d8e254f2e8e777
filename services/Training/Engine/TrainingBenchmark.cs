using System.Diagnostics;
using CloudAssembly.Model;
using CloudAssembly.Training.Losses;
using CloudAssembly.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Engine;

/// <summary>
/// Images per second of one full training step (forward, soft-target loss, backward, clip, AdamW) for a named model
/// on random data already on the device, after warm-up steps; the same step the phases run.
/// </summary>
public static class TrainingBenchmark
{
    public sealed record Result(string Model, string Device, int BatchSize, bool Bf16, int Steps, double ImagesPerSecond,
        double MillisecondsPerStep, long Parameters, double PeakMemoryMiB, string MemoryKind);

    public static Result Run(string modelName, int batchSize, Device device, bool bf16, int warmupSteps = 5, int steps = 20,
        int numClasses = 1000, IReadOnlyList<int>? depths = null)
    {
        manual_seed(0);
        var config = ModelCatalog.Create(modelName, numClasses, depths ?? [ModelCatalog.OfficialDepth(modelName)], 0.1);
        using var model = new VisionTransformer(config);
        model.to(device);
        if (bf16)
            model.ComputeType = ScalarType.BFloat16;
        model.train();
        using var optimizer = new FlatAdamW(WeightDecayGroups.Build(model.NamedParameters(), 0.05, WeightDecayGroups.ModelSkipList), 1e-3);
        using var images = randn([batchSize, config.InChannels, config.ImageSize, config.ImageSize], device: device);
        using var labels = randint(0, numClasses, [batchSize], device: device);
        using var targets = SoftTargetCrossEntropy.SmoothedOneHot(labels, numClasses, 0.1);

        void Step()
        {
            using var scope = NewDisposeScope();
            var loss = SoftTargetCrossEntropy.Loss(model.call(images), targets);
            loss.backward();
            optimizer.ClipGradNorm(1.0);
            optimizer.Step();
            optimizer.ZeroGrad();
        }

        for (var i = 0; i < warmupSteps; i++)
            Step();
        Synchronize(device);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < steps; i++)
            Step();
        Synchronize(device);
        var seconds = clock.Elapsed.TotalSeconds;
        var (memory, kind) = PeakMemory(device);
        return new Result(modelName, device.ToString(), batchSize, bf16, steps, batchSize * steps / seconds, 1000 * seconds / steps,
            model.parameters().Sum(p => p.numel()), memory, kind);
    }

    private static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA)
            cuda.synchronize(device);
    }

    private static (double MiB, string Kind) PeakMemory(Device device)
    {
        if (device.type == DeviceType.CUDA && GpuMemory.UsedBytes(device.index < 0 ? 0 : device.index) is { } used)
            return (used / 1048576.0, "GPU memory in use (NVML)");
        using var process = Process.GetCurrentProcess();
        return (process.PeakWorkingSet64 / 1048576.0, "peak resident set of the process");
    }
}
