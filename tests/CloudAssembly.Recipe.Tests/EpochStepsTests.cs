using CloudAssembly.Data.Loading;
using CloudAssembly.Training;
using CloudAssembly.Training.Engine;
using CloudAssembly.Training.Loading;
using static TorchSharp.torch;

namespace CloudAssembly.Recipe.Tests;

/// <summary>
/// <c>epoch_steps</c>: per-rank samples (RASampler or DistributedSampler), micro-batches (drop_last) and the optimizer
/// steps engine.py takes, for each (dataset size, batch, update_freq, world size, repeated augmentation).
/// </summary>
public class EpochStepsTests
{
    public static TheoryData<int, string> OneDevice => Cases(worldSize => worldSize == 1);

    public static TheoryData<int, string> SeveralDevices => Cases(worldSize => worldSize > 1);

    [Theory]
    [MemberData(nameof(OneDevice))]
    [MemberData(nameof(SeveralDevices), Skip = "Waits for distributed training (issue #12): the effective batch does not count replicas yet.")]
    public void Samples_micro_batches_and_optimizer_steps_match_the_official_loop(int index, string label)
    {
        var c = RecipeReference.Section("epoch_steps")[index];
        int Get(string key) => c.GetProperty(key).GetInt32();
        var (count, worldSize) = (Get("dataset"), Get("world_size"));
        var options = new TrainOptions
        {
            BatchSize = Get("batch_size"),
            UpdateFreq = Get("update_freq"),
            RepeatedAug = c.GetProperty("repeated_aug").GetBoolean(),
        };
        ISampler sampler = options.RepeatedAug
            ? new RepeatedAugmentationSampler(count, seed: 0, replicas: worldSize, rank: 0)
            : new RandomSampler(count, seed: 0);
        Assert.True(sampler.Length == Get("samples_per_rank"), $"{label}: {sampler.Length} samples per rank");
        var microBatches = new LoaderOptions(options.BatchSize, DropLast: true, 1, 1, 0, CPU).BatchesPer(sampler.Length);
        Assert.True(microBatches == Get("micro_batches"), $"{label}: {microBatches} micro-batches");
        var steps = EpochTrainer.StepsPerEpoch(microBatches, count, options);
        Assert.True(steps == Get("optimizer_steps"), $"{label}: {steps} optimizer steps");
    }

    private static TheoryData<int, string> Cases(Func<int, bool> worldSizes)
    {
        var data = new TheoryData<int, string>();
        var cases = RecipeReference.Section("epoch_steps").EnumerateArray().ToList();
        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            if (worldSizes(c.GetProperty("world_size").GetInt32()))
                data.Add(i, $"N {c.GetProperty("dataset")}, batch {c.GetProperty("batch_size")} x {c.GetProperty("update_freq")}, " +
                    $"W {c.GetProperty("world_size")}, repeated-aug {c.GetProperty("repeated_aug")}");
        }
        return data;
    }
}
