namespace CloudAssembly.Data.Loading;

/// <summary>The sample indices one epoch visits, in order (the loader cuts them into batches).</summary>
public interface ISampler
{
    /// <summary>How many indices every epoch yields.</summary>
    int Length { get; }

    IReadOnlyList<int> EpochIndices(int epoch);
}
