namespace CloudAssembly.Data.Loading;

/// <summary>
/// A dataset as the loader reads it: per epoch, one sequence of undecoded samples in the order they are batched.
/// Random-access datasets give it through a sampler (<see cref="DatasetSampleSource"/>), sharded ones as a stream
/// (<c>ShardSampleSource</c>); the loader decodes and augments either the same way.
/// </summary>
public interface ISampleSource
{
    /// <summary>Where the data comes from, for messages (a folder, a file, a dataset version).</summary>
    string Source { get; }

    /// <summary>Distinct samples in the dataset (N), from which the official step count ⌊N / batch⌋ is taken.</summary>
    int Count { get; }

    /// <summary>Class names; the label of a sample is its index in this list.</summary>
    IReadOnlyList<string> Classes { get; }

    /// <summary>How many samples every epoch yields on this replica.</summary>
    int EpochLength { get; }

    /// <summary>Exactly <see cref="EpochLength"/> samples; the same epoch always gives the same sequence.</summary>
    IEnumerable<RawSample> Epoch(int epoch, CancellationToken cancellation = default);
}
