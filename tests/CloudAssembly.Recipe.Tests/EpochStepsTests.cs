using CloudAssembly.Data.Loading;
using CloudAssembly.Training;
using CloudAssembly.Training.Engine;
using CloudAssembly.Training.Loading;
using static TorchSharp.torch;

namespace CloudAssembly.Recipe.Tests;

/// <summary>
/// <c>epoch_steps</c>: per-rank samples (RASampler or DistributedSampler), micro-batches (drop_last) and the optimizer
/// steps engine.py takes, for each (dataset size, batch, update_freq, world size, repeated augmentation), on every rank.
/// </summary>
public class EpochStepsTests
{
    public static TheoryData<int, string> All => Cases();

    [Theory]
    [MemberData(nameof(All))]
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
            WorldSize = worldSize,
        };
        for (var rank = 0; rank < worldSize; rank++)
        {
            ISampler sampler = options.RepeatedAug
                ? new RepeatedAugmentationSampler(count, seed: 0, replicas: worldSize, rank: rank)
                : new RandomSampler(count, seed: 0, worldSize, rank);
            Assert.True(sampler.Length == Get("samples_per_rank"), $"{label}, rank {rank}: {sampler.Length} samples per rank");
            var microBatches = new LoaderOptions(options.BatchSize, DropLast: true, 1, 1, 0, CPU).BatchesPer(sampler.Length);
            Assert.True(microBatches == Get("micro_batches"), $"{label}, rank {rank}: {microBatches} micro-batches");
            var steps = EpochTrainer.StepsPerEpoch(microBatches, count, options);
            Assert.True(steps == Get("optimizer_steps"), $"{label}, rank {rank}: {steps} optimizer steps");
        }
    }

    private static TheoryData<int, string> Cases()
    {
        var data = new TheoryData<int, string>();
        var cases = RecipeReference.Section("epoch_steps").EnumerateArray().ToList();
        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            data.Add(i, $"N {c.GetProperty("dataset")}, batch {c.GetProperty("batch_size")} x {c.GetProperty("update_freq")}, " +
                $"W {c.GetProperty("world_size")}, repeated-aug {c.GetProperty("repeated_aug")}");
        }
        return data;
    }
}
