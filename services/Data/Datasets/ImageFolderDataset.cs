using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Datasets;

/// <summary>
/// torchvision's <c>ImageFolder</c>: one sub-folder per class, labels from the sorted folder names, files sorted
/// within each class and walked recursively; only image extensions count.
/// </summary>
public sealed class ImageFolderDataset : IImageDataset
{
    public static readonly IReadOnlySet<string> Extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        { ".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp", ".gif" };

    private readonly (string Path, int Label)[] samples;

    private ImageFolderDataset(string source, IReadOnlyList<string> classes, (string, int)[] samples)
    {
        Source = source;
        Classes = classes;
        this.samples = samples;
    }

    public string Source { get; }

    public int Count => samples.Length;

    public IReadOnlyList<string> Classes { get; }

    public int Label(int index) => samples[index].Label;

    public string PathOf(int index) => samples[index].Path;

    public RgbImage Load(int index, int channels) => ImageDecoder.DecodeFile(samples[index].Path, channels);

    /// <summary>
    /// Opens <paramref name="root"/>. When <paramref name="classes"/> is given (the train split's), every class
    /// folder here must be one of them and labels follow that list, so <c>val</c> labels agree with <c>train</c>.
    /// </summary>
    public static ImageFolderDataset Open(string root, IReadOnlyList<string>? classes = null)
    {
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"Image folder '{root}' does not exist.");
        var folders = Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        if (folders.Count == 0)
            throw new InvalidDataException($"Image folder '{root}' has no class sub-folders (expected {root}/<class>/<image>).");
        classes ??= folders;
        var index = classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        var unknown = folders.FirstOrDefault(f => !index.ContainsKey(f));
        if (unknown is not null)
            throw new InvalidDataException($"Class folder '{Path.Combine(root, unknown)}' is not a class of the training split.");
        var samples = new List<(string, int)>();
        foreach (var folder in folders)
        {
            var files = Directory.EnumerateFiles(Path.Combine(root, folder), "*", SearchOption.AllDirectories)
                .Where(f => Extensions.Contains(Path.GetExtension(f)))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (files.Count == 0)
                throw new InvalidDataException($"Class folder '{Path.Combine(root, folder)}' has no images.");
            samples.AddRange(files.Select(f => (f, index[folder])));
        }
        return new ImageFolderDataset(root, classes, [.. samples]);
    }
}
