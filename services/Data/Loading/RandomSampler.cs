namespace CloudAssembly.Data.Loading;

/// <summary>
/// A fresh seeded permutation of all samples each epoch (<c>--no-repeated-aug</c>). On several replicas it is
/// PyTorch's <c>DistributedSampler</c>: the permutation padded from its start to a multiple of the replicas and strided
/// across them (<c>indices[rank::replicas]</c>), ⌈N / replicas⌉ samples each.
/// </summary>
public sealed class RandomSampler : ISampler
{
    private readonly int count, replicas, rank;
    private readonly long seed;

    public RandomSampler(int count, long seed, int replicas = 1, int rank = 0)
    {
        if (rank < 0 || rank >= replicas)
            throw new ArgumentOutOfRangeException(nameof(rank), $"Rank {rank} is outside 0..{replicas - 1}.");
        this.count = count;
        this.seed = seed;
        this.replicas = replicas;
        this.rank = rank;
    }

    public int Length => (count + replicas - 1) / replicas;

    public IReadOnlyList<int> EpochIndices(int epoch)
    {
        var order = Enumerable.Range(0, count).ToArray();
        SampleRandom.For(seed, epoch, 0x5A3B1E).Shuffle(order);
        if (replicas == 1)
            return order;
        var mine = new int[Length];
        for (var k = 0; k < mine.Length; k++)
            mine[k] = order[(rank + k * replicas) % count];
        return mine;
    }
}
