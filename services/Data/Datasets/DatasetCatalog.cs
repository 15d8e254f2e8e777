using CloudAssembly.Data.Shards;

namespace CloudAssembly.Data.Datasets;

/// <summary>
/// The <c>--data-set</c> names: IMNET (and its alias FOLDER) read <c>train/</c> and <c>val/</c> class folders under
/// <c>--data-path</c>; FMNIST and MNIST read IDX files (Debian's <c>dataset-fashion-mnist</c> puts them in
/// <c>/usr/share/datasets/fashion-mnist</c>); SHARDS streams a dataset version from blob storage, named by a
/// <see cref="DatasetLocation"/> (<c>/abs/folder#name/version</c> or <c>azure://container#name/version</c>).
/// </summary>
public static class DatasetCatalog
{
    public const string DefaultFashionMnistPath = "/usr/share/datasets/fashion-mnist";
    public const string Shards = "SHARDS";

    public static bool IsShards(string dataSet) => dataSet.Equals(Shards, StringComparison.OrdinalIgnoreCase);

    /// <summary>The random-access datasets; SHARDS is streamed and opened with <see cref="OpenShards"/>.</summary>
    public static (IImageDataset Train, IImageDataset Val) Open(string dataSet, string dataPath)
    {
        switch (dataSet.ToUpperInvariant())
        {
            case "IMNET":
            case "FOLDER":
                var trainRoot = Path.Combine(dataPath, "train");
                var valRoot = Path.Combine(dataPath, "val");
                if (!Directory.Exists(trainRoot) || !Directory.Exists(valRoot))
                    throw new DirectoryNotFoundException($"--data-path '{dataPath}' needs train/ and val/ folders of class folders (ImageNet layout).");
                var train = ImageFolderDataset.Open(trainRoot);
                return (train, ImageFolderDataset.Open(valRoot, train.Classes));
            case "FMNIST":
                return (IdxDataset.Open(dataPath, true, IdxDataset.FashionMnistClasses), IdxDataset.Open(dataPath, false, IdxDataset.FashionMnistClasses));
            case "MNIST":
                return (IdxDataset.Open(dataPath, true, IdxDataset.DigitClasses), IdxDataset.Open(dataPath, false, IdxDataset.DigitClasses));
            case Shards:
                throw new NotSupportedException("--data-set SHARDS is streamed, not read by index; open it with DatasetCatalog.OpenShards.");
            case "CIFAR":
                throw new NotSupportedException("--data-set CIFAR (CIFAR-100's Python pickles) is not read; export it as train/ and val/ image folders and use --data-set FOLDER.");
            default:
                throw new ArgumentException($"Unknown --data-set '{dataSet}': use IMNET (or FOLDER), FMNIST, MNIST or SHARDS.");
        }
    }

    /// <summary>Opens the committed dataset version a SHARDS <c>--data-path</c> names, with the default local shard cache.</summary>
    public static ShardedDataset OpenShards(string dataPath) => ShardedDataset.Open(dataPath);

    /// <summary>Per-channel mean and std for normalisation: the dataset's own for the grey sets, ImageNet's otherwise.</summary>
    public static (double[] Mean, double[] Std) Statistics(string dataSet, int channels) => (dataSet.ToUpperInvariant(), channels) switch
    {
        ("FMNIST", 1) => ([0.2860], [0.3530]),
        ("MNIST", 1) => ([0.1307], [0.3081]),
        (_, 1) => ([0.449], [0.226]),
        _ => ([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
    };
}
