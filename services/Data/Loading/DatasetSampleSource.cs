using CloudAssembly.Data.Datasets;

namespace CloudAssembly.Data.Loading;

/// <summary>A random-access dataset read in the order a sampler gives for each epoch.</summary>
public sealed class DatasetSampleSource(IImageDataset dataset, ISampler sampler) : ISampleSource
{
    public string Source => dataset.Source;

    public int Count => dataset.Count;

    public IReadOnlyList<string> Classes => dataset.Classes;

    public int EpochLength => sampler.Length;

    public IEnumerable<RawSample> Epoch(int epoch, CancellationToken cancellation = default) =>
        sampler.EpochIndices(epoch).Select(index => new RawSample(index, dataset.Label(index), channels => dataset.Load(index, channels)));
}
