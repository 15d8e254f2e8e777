namespace CloudAssembly.Data.Loading;

/// <summary>
/// DeiT's <c>RASampler</c>: each epoch a seeded permutation, every index repeated <c>repeats</c> times in a row,
/// padded to a multiple of the replicas, strided across them (<c>indices[rank::replicas]</c>) and cut to
/// ⌊N / 256⌋·256 / replicas samples. An epoch therefore sees about N/3 distinct images, each three times in the same
/// global batch, and has the official length.
/// </summary>
public sealed class RepeatedAugmentationSampler : ISampler
{
    private readonly int count, repeats, replicas, rank;
    private readonly long seed;

    public RepeatedAugmentationSampler(int count, long seed, int repeats = 3, int replicas = 1, int rank = 0)
    {
        if (rank < 0 || rank >= replicas)
            throw new ArgumentOutOfRangeException(nameof(rank), $"Rank {rank} is outside 0..{replicas - 1}.");
        this.count = count;
        this.seed = seed;
        this.repeats = repeats;
        this.replicas = replicas;
        this.rank = rank;
    }

    public int Length => SamplesPerReplica;

    public int SamplesPerReplica => (int)Math.Floor(count / 256 * 256 / (double)replicas);

    public IReadOnlyList<int> EpochIndices(int epoch)
    {
        var order = Enumerable.Range(0, count).ToArray();
        SampleRandom.For(seed, epoch, 0x5A3B1E).Shuffle(order);
        var perReplica = (int)Math.Ceiling(count * (double)repeats / replicas);
        var total = perReplica * replicas;
        var repeated = new List<int>(total);
        foreach (var i in order)
            for (var r = 0; r < repeats; r++)
                repeated.Add(i);
        for (var k = 0; repeated.Count < total; k++)
            repeated.Add(repeated[k]);
        var mine = new List<int>(perReplica);
        for (var k = rank; k < total; k += replicas)
            mine.Add(repeated[k]);
        return mine.Take(SamplesPerReplica).ToArray();
    }
}
