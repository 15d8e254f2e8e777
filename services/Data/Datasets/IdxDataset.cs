using System.Buffers.Binary;
using System.IO.Compression;
using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Datasets;

/// <summary>
/// MNIST-format IDX files (<c>train-images-idx3-ubyte[.gz]</c> and <c>-labels-idx1-</c>, or the <c>t10k-</c> pair),
/// as Debian's <c>dataset-fashion-mnist</c> installs them in <c>/usr/share/datasets/fashion-mnist/</c>.
/// </summary>
public sealed class IdxDataset : IImageDataset
{
    public static readonly IReadOnlyList<string> FashionMnistClasses =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public static readonly IReadOnlyList<string> DigitClasses = [.. Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private readonly byte[] pixels;
    private readonly byte[] labels;
    private readonly int rows, cols;

    private IdxDataset(string source, IReadOnlyList<string> files, byte[] pixels, byte[] labels, int rows, int cols, IReadOnlyList<string> classes)
    {
        Source = source;
        Files = files;
        this.pixels = pixels;
        this.labels = labels;
        this.rows = rows;
        this.cols = cols;
        Classes = classes;
    }

    public string Source { get; }

    /// <summary>The images file and the labels file this split was read from.</summary>
    public IReadOnlyList<string> Files { get; }

    public int Count => labels.Length;

    public IReadOnlyList<string> Classes { get; }

    public int Label(int index) => labels[index];

    public RgbImage Load(int index, int channels)
    {
        var size = rows * cols;
        var grey = pixels.AsSpan(index * size, size);
        var image = new RgbImage(cols, rows, channels);
        if (channels == 1)
            grey.CopyTo(image.Pixels);
        else
            for (var i = 0; i < size; i++)
                image.Pixels[3 * i] = image.Pixels[3 * i + 1] = image.Pixels[3 * i + 2] = grey[i];
        return image;
    }

    /// <summary>Opens the train (60k) or test (10k) split in <paramref name="folder"/>.</summary>
    public static IdxDataset Open(string folder, bool train, IReadOnlyList<string> classes)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException(
                $"--data-path '{folder}' does not exist (for Fashion-MNIST install Debian's dataset-fashion-mnist, or point at a folder of IDX files).");
        var prefix = train ? "train" : "t10k";
        var imagesPath = Find(folder, $"{prefix}-images-idx3-ubyte");
        var labelsPath = Find(folder, $"{prefix}-labels-idx1-ubyte");
        var (imageDims, images) = Read(imagesPath, 3);
        var (labelDims, labelBytes) = Read(labelsPath, 1);
        if (imageDims[0] != labelDims[0])
            throw new InvalidDataException($"'{imagesPath}' holds {imageDims[0]} images but '{labelsPath}' {labelDims[0]} labels.");
        var bad = Array.FindIndex(labelBytes, l => l >= classes.Count);
        if (bad >= 0)
            throw new InvalidDataException($"'{labelsPath}' has label {labelBytes[bad]} at {bad}, outside the {classes.Count} classes.");
        return new IdxDataset($"{folder} ({prefix})", [imagesPath, labelsPath], images, labelBytes, imageDims[1], imageDims[2], classes);
    }

    private static string Find(string folder, string stem)
    {
        foreach (var name in new[] { stem, stem + ".gz" })
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path))
                return path;
        }
        throw new FileNotFoundException($"'{folder}' has no {stem} or {stem}.gz (an IDX dataset folder needs both the images and the labels).");
    }

    private static (int[] Dims, byte[] Data) Read(string path, int expectedDims)
    {
        byte[] bytes;
        using (var file = File.OpenRead(path))
        using (var stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file)
        using (var memory = new MemoryStream())
        {
            try
            {
                stream.CopyTo(memory);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"'{path}' is not a valid gzip file: {e.Message}", e);
            }
            bytes = memory.ToArray();
        }
        if (bytes.Length < 4 + 4 * expectedDims)
            throw new InvalidDataException($"'{path}' is too short to be an IDX file.");
        var magic = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (magic >> 8 != 0x08 || (magic & 0xFF) != expectedDims)
            throw new InvalidDataException($"'{path}' is not an unsigned-byte IDX file with {expectedDims} dimension(s) (magic 0x{magic:x8}).");
        var dims = Enumerable.Range(0, expectedDims).Select(i => BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i))).ToArray();
        var header = 4 + 4 * expectedDims;
        var expected = dims.Aggregate(1L, (a, b) => a * b);
        if (bytes.Length - header != expected)
            throw new InvalidDataException($"'{path}' should hold {expected} bytes of data after its header but holds {bytes.Length - header} (truncated?).");
        return (dims, bytes[header..]);
    }
}
