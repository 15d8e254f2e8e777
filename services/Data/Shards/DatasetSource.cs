using System.Security.Cryptography;
using System.Text;
using CloudAssembly.Data.Datasets;

namespace CloudAssembly.Data.Shards;

/// <summary>
/// What a dataset version is built from, read through the training readers so the rules are the same: ImageNet-style
/// <c>train/</c> and <c>val/</c> class folders (<see cref="ImageFolderDataset"/>: sorted class folders, no empty
/// class, val classes must be train classes) or the train and t10k IDX files of MNIST or Fashion-MNIST
/// (<see cref="IdxDataset"/>, as split <c>val</c>).
/// </summary>
public sealed class DatasetSource
{
    private readonly IReadOnlyList<(string Name, IImageDataset Data)> splits;
    private readonly Lazy<string> fingerprint;

    private DatasetSource(string kind, string path, IReadOnlyList<(string, IImageDataset)> splits)
    {
        Kind = kind;
        Path = path;
        this.splits = splits;
        fingerprint = new Lazy<string>(ComputeFingerprint);
    }

    /// <summary>FOLDER, FMNIST or MNIST: the <c>--data-set</c> name that reads the same data without shards.</summary>
    public string Kind { get; }

    public string Path { get; }

    public IReadOnlyList<string> Classes => splits[0].Data.Classes;

    public IReadOnlyList<string> Splits => [.. splits.Select(s => s.Name)];

    /// <summary>
    /// sha256 over every image file's relative path, size and modification time (folders) or over the IDX files'
    /// contents, so it changes whenever the source does and costs no image reads.
    /// </summary>
    public string Fingerprint => fingerprint.Value;

    public IImageDataset Split(string name) => splits.First(s => s.Name == name).Data;

    /// <summary>
    /// Opens <paramref name="path"/> as <paramref name="kind"/>: FOLDER (or IMNET), FMNIST, MNIST, or auto, which
    /// takes a folder with train/ and val/ as FOLDER and asks for the kind of IDX files, whose classes they do not name.
    /// </summary>
    public static DatasetSource Open(string path, string kind = "auto")
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!Directory.Exists(full))
            throw new DirectoryNotFoundException($"Source folder '{full}' does not exist.");
        var resolved = kind.ToUpperInvariant() switch
        {
            "AUTO" => Detect(full),
            "IMNET" => "FOLDER",
            var other => other,
        };
        if (resolved is not ("FOLDER" or "FMNIST" or "MNIST"))
            throw new ArgumentException($"Unknown source kind '{kind}': use auto, FOLDER (train/ and val/ class folders), FMNIST or MNIST.");
        var (train, val) = DatasetCatalog.Open(resolved, full);
        return new DatasetSource(resolved, full, [("train", train), ("val", val)]);
    }

    /// <summary>How a report names a source image: its path under the source folder, or the IDX file and index.</summary>
    internal string NameOf(string split, int index) => Split(split) switch
    {
        ImageFolderDataset folder => System.IO.Path.GetRelativePath(Path, folder.PathOf(index)),
        IdxDataset idx => $"{System.IO.Path.GetFileName(idx.Files[0])}#{index}",
        var other => $"{other.Source}#{index}",
    };

    private static string Detect(string path)
    {
        if (Directory.Exists(System.IO.Path.Combine(path, "train")) && Directory.Exists(System.IO.Path.Combine(path, "val")))
            return "FOLDER";
        if (Directory.EnumerateFiles(path, "train-images-idx3-ubyte*").Any())
            throw new ArgumentException($"'{path}' holds IDX files, which do not name their classes: say which they are with --kind FMNIST or --kind MNIST.");
        throw new DirectoryNotFoundException($"Source folder '{path}' has neither train/ and val/ class folders nor IDX files (train-images-idx3-ubyte[.gz]).");
    }

    private string ComputeFingerprint()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, data) in splits)
        {
            switch (data)
            {
                case ImageFolderDataset folder:
                    for (var i = 0; i < folder.Count; i++)
                    {
                        var file = new FileInfo(folder.PathOf(i));
                        Append($"{name}\t{System.IO.Path.GetRelativePath(Path, file.FullName)}\t{file.Length}\t{file.LastWriteTimeUtc.Ticks}\n");
                    }
                    break;
                case IdxDataset idx:
                    foreach (var file in idx.Files)
                    {
                        using var stream = File.OpenRead(file);
                        Append($"{name}\t{System.IO.Path.GetFileName(file)}\t{Convert.ToHexStringLower(SHA256.HashData(stream))}\n");
                    }
                    break;
            }
        }
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());

        void Append(string line) => hash.AppendData(Encoding.UTF8.GetBytes(line));
    }
}
