namespace CloudAssembly.Data.Loading;

/// <summary>A fresh seeded permutation of all samples each epoch (<c>--no-repeated-aug</c>).</summary>
public sealed class RandomSampler(int count, long seed) : ISampler
{
    public int Length => count;

    public IReadOnlyList<int> EpochIndices(int epoch)
    {
        var order = Enumerable.Range(0, count).ToArray();
        SampleRandom.For(seed, epoch, 0x5A3B1E).Shuffle(order);
        return order;
    }
}
