using CloudAssembly.Data.Datasets;

namespace CloudAssembly.Data.Tests;

public class FashionMnistIdxTests
{
    private const string Folder = DatasetCatalog.DefaultFashionMnistPath;

    [Fact]
    public void The_Debian_package_reads_as_60000_and_10000_labelled_28x28_images()
    {
        var (train, val) = DatasetCatalog.Open("FMNIST", Folder);
        Assert.Equal(60_000, train.Count);
        Assert.Equal(10_000, val.Count);
        Assert.Equal([9, 0, 0, 3, 0, 2, 7, 2, 5, 5], Enumerable.Range(0, 10).Select(train.Label));
        Assert.Equal("Ankle boot", train.Classes[train.Label(0)]);
        var image = train.Load(0, 1);
        Assert.Equal((28, 28, 1), (image.Width, image.Height, image.Channels));
        Assert.Contains(image.Pixels, p => p > 200);
        var rgb = train.Load(0, 3);
        Assert.Equal(image.Pixels[400], rgb.Pixels[1200]);
        Assert.Equal(image.Pixels[400], rgb.Pixels[1202]);
        Assert.Equal(6000, Enumerable.Range(0, train.Count).Count(i => train.Label(i) == 3));
    }

    [Fact]
    public void A_missing_folder_is_named_with_what_to_install()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => DatasetCatalog.Open("FMNIST", "/nonexistent/fmnist"));
        Assert.Contains("/nonexistent/fmnist", e.Message);
        Assert.Contains("dataset-fashion-mnist", e.Message);
    }

    [Fact]
    public void A_truncated_IDX_file_is_refused_naming_it()
    {
        var folder = Directory.CreateTempSubdirectory("idx").FullName;
        var bytes = File.ReadAllBytes(Path.Combine(Folder, "t10k-images-idx3-ubyte.gz"));
        using (var gz = new System.IO.Compression.GZipStream(File.OpenRead(Path.Combine(Folder, "t10k-images-idx3-ubyte.gz")), System.IO.Compression.CompressionMode.Decompress))
        using (var output = File.Create(Path.Combine(folder, "t10k-images-idx3-ubyte")))
        {
            var raw = new MemoryStream();
            gz.CopyTo(raw);
            output.Write(raw.ToArray(), 0, (int)raw.Length / 2);
        }
        File.Copy(Path.Combine(Folder, "t10k-labels-idx1-ubyte.gz"), Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"));
        var e = Assert.Throws<InvalidDataException>(() => IdxDataset.Open(folder, false, IdxDataset.FashionMnistClasses));
        Assert.Contains("t10k-images-idx3-ubyte", e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.NotEmpty(bytes);
    }

    [Fact]
    public void Unknown_data_sets_list_the_known_ones() =>
        Assert.Contains("FMNIST", Assert.Throws<ArgumentException>(() => DatasetCatalog.Open("IMAGENET22K", "/tmp")).Message);
}
