using CloudAssembly.Data.Loading;

namespace CloudAssembly.Data.Tests;

public class SamplerTests
{
    [Fact]
    public void Repeated_augmentation_repeats_each_index_three_times_in_a_row_and_has_the_official_length()
    {
        var sampler = new RepeatedAugmentationSampler(1000, seed: 1);
        var indices = sampler.EpochIndices(0);
        Assert.Equal(1000 / 256 * 256, indices.Count);
        for (var i = 0; i + 2 < indices.Count; i += 3)
            Assert.True(indices[i] == indices[i + 1] && indices[i] == indices[i + 2]);
        Assert.Equal(256, indices.Distinct().Count());
        Assert.NotEqual(indices, sampler.EpochIndices(1));
        Assert.Equal(indices, sampler.EpochIndices(0));
    }

    [Fact]
    public void Replicas_split_the_repeated_list_by_stride()
    {
        var whole = new RepeatedAugmentationSampler(600, seed: 2, replicas: 1).EpochIndices(3);
        var rank0 = new RepeatedAugmentationSampler(600, seed: 2, replicas: 2, rank: 0).EpochIndices(3);
        var rank1 = new RepeatedAugmentationSampler(600, seed: 2, replicas: 2, rank: 1).EpochIndices(3);
        Assert.Equal(600 / 256 * 256 / 2, rank0.Count);
        Assert.Equal(whole[0], rank0[0]);
        Assert.Equal(whole[1], rank1[0]);
        Assert.Equal(whole[2], rank0[1]);
    }

    [Fact]
    public void The_random_sampler_is_a_seeded_permutation_per_epoch()
    {
        var sampler = new RandomSampler(100, seed: 5);
        Assert.Equal(Enumerable.Range(0, 100), sampler.EpochIndices(0).Order());
        Assert.Equal(sampler.EpochIndices(4), new RandomSampler(100, seed: 5).EpochIndices(4));
        Assert.NotEqual(sampler.EpochIndices(0), sampler.EpochIndices(1));
    }
}
