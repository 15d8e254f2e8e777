using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Datasets;

/// <summary>A fixed selection of another dataset's samples (<c>--train-limit</c>, <c>--eval-limit</c>).</summary>
public sealed class SubsetDataset(IImageDataset inner, IReadOnlyList<int> indices) : IImageDataset
{
    public string Source => $"{inner.Source} ({indices.Count} of {inner.Count})";

    public int Count => indices.Count;

    public IReadOnlyList<string> Classes => inner.Classes;

    public int Label(int index) => inner.Label(indices[index]);

    public RgbImage Load(int index, int channels) => inner.Load(indices[index], channels);

    /// <summary>A seeded random subset of <paramref name="count"/> samples in index order, or the whole set.</summary>
    public static IImageDataset Random(IImageDataset dataset, int count, long seed)
    {
        if (count <= 0 || count >= dataset.Count)
            return dataset;
        var order = Enumerable.Range(0, dataset.Count).ToArray();
        SampleRandom.For(seed, 0x5B5E7).Shuffle(order);
        return new SubsetDataset(dataset, [.. order.Take(count).Order()]);
    }
}
