using CloudAssembly.Data.Loading;

namespace CloudAssembly.Training.Tests;

/// <summary>
/// DistributedSampler's share of each rank (without repeated augmentation); the counts per rank are checked against
/// the official code in Recipe.Tests' EpochStepsTests.
/// </summary>
public class RankShareTests
{
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
