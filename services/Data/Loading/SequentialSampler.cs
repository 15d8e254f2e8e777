namespace CloudAssembly.Data.Loading;

/// <summary>Every sample once, in order (evaluation).</summary>
public sealed class SequentialSampler(int count) : ISampler
{
    public int Length => count;

    public IReadOnlyList<int> EpochIndices(int epoch) => [.. Enumerable.Range(0, count)];
}
