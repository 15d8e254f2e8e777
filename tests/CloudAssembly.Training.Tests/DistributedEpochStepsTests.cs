using CloudAssembly.Data.Loading;
using CloudAssembly.Training.Engine;

namespace CloudAssembly.Training.Tests;

/// <summary>recipe.json → epoch_steps on several ranks: every rank's sample count, micro-batches and optimizer steps.</summary>
public class DistributedEpochStepsTests
{
    [Fact]
    public void Every_rank_reads_and_steps_as_the_official_samplers_and_loop_on_several_ranks()
    {
        var cases = RecipeReference.Section("epoch_steps").EnumerateArray().Where(c => c.GetProperty("world_size").GetInt32() > 1).ToList();
        Assert.True(cases.Count >= 4);
        foreach (var c in cases)
        {
            int Get(string key) => c.GetProperty(key).GetInt32();
            var (count, worldSize, batch, updateFreq) = (Get("dataset"), Get("world_size"), Get("batch_size"), Get("update_freq"));
            var repeated = c.GetProperty("repeated_aug").GetBoolean();
            var label = $"N {count}, {worldSize} x {batch} x {updateFreq}, repeated-aug {repeated}";
            var options = new TrainOptions { BatchSize = batch, UpdateFreq = updateFreq, WorldSize = worldSize, RepeatedAug = repeated };
            for (var rank = 0; rank < worldSize; rank++)
            {
                ISampler sampler = repeated
                    ? new RepeatedAugmentationSampler(count, seed: 0, replicas: worldSize, rank: rank)
                    : new RandomSampler(count, seed: 0, worldSize, rank);
                Assert.True(sampler.Length == Get("samples_per_rank"), $"{label}, rank {rank}: {sampler.Length} samples");
                var microBatches = sampler.Length / batch;
                Assert.True(microBatches == Get("micro_batches"), $"{label}: {microBatches} micro-batches");
                var steps = EpochTrainer.StepsPerEpoch(microBatches, count, options);
                Assert.True(steps == Get("optimizer_steps"), $"{label}: {steps} optimizer steps");
            }
        }
    }

    [Fact]
    public void Ranks_share_one_permutation_and_stride_it_padded_from_its_start()
    {
        var order = new RandomSampler(10, seed: 4).EpochIndices(2);
        var ranks = Enumerable.Range(0, 3).Select(r => new RandomSampler(10, seed: 4, replicas: 3, rank: r).EpochIndices(2)).ToArray();
        for (var r = 0; r < 3; r++)
            Assert.Equal(Enumerable.Range(0, 4).Select(k => order[(r + 3 * k) % 10]), ranks[r]);
        Assert.Equal(Enumerable.Range(0, 10), ranks.SelectMany(r => r).Distinct().Order());
    }
}
