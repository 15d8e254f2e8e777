using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Datasets;

/// <summary>A labelled image collection with random access; the training pipeline reads every source through it.</summary>
public interface IImageDataset
{
    /// <summary>Where the data comes from, for messages (a folder, a file, a dataset version).</summary>
    string Source { get; }

    int Count { get; }

    /// <summary>Class names; the label of a sample is its index in this list.</summary>
    IReadOnlyList<string> Classes { get; }

    int Label(int index);

    /// <summary>Decodes sample <paramref name="index"/> with the given number of channels (1 or 3).</summary>
    /// <exception cref="CorruptImageException">The sample's image cannot be decoded.</exception>
    RgbImage Load(int index, int channels);
}
