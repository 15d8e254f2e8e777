using System.Buffers.Binary;
using SkiaSharp;

namespace CloudAssembly.Data.Tests.Shards;

/// <summary>Small sources made on the spot: image folders with real PNG and JPEG files, and IDX files.</summary>
public static class TestSources
{
    public static string TempFolder(string name) => Directory.CreateTempSubdirectory($"cloudassembly-{name}-").FullName;

    /// <summary>
    /// root/{train,val}/{class}/ with <paramref name="perClass"/> train and <paramref name="perClass"/>/4 val images per
    /// class; sizes, colours and formats vary with the index so every file is different.
    /// </summary>
    public static string ImageFolder(string[] classes, int perClass = 12)
    {
        var root = TempFolder("folder");
        foreach (var (split, count) in new[] { ("train", perClass), ("val", Math.Max(1, perClass / 4)) })
            for (var c = 0; c < classes.Length; c++)
            {
                var dir = Directory.CreateDirectory(Path.Combine(root, split, classes[c])).FullName;
                for (var i = 0; i < count; i++)
                {
                    var png = i % 3 == 0;
                    File.WriteAllBytes(Path.Combine(dir, $"{i:000}.{(png ? "png" : "jpg")}"),
                        Encode(png ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg, 40 + i % 7 * 3, 36 + c * 5, (byte)(c * 60 + i)));
                }
            }
        return root;
    }

    public static byte[] Encode(SKEncodedImageFormat format, int width, int height, byte shade)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(new SKColor(shade, (byte)(255 - shade), (byte)(shade / 2)));
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { Color = new SKColor(20, 200, (byte)(shade ^ 0x55)) })
            canvas.DrawCircle(width / 3f, height / 2f, width / 5f, paint);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 92);
        return data.ToArray();
    }

    /// <summary>
    /// An IDX folder whose 28×28 image <c>i</c> carries <c>i</c> in its first two pixels (so a decoded sample tells which
    /// source image it is) over a pattern, with label <c>i % 10</c>.
    /// </summary>
    public static string Idx(int train, int test)
    {
        var folder = TempFolder("idx");
        foreach (var (prefix, count) in new[] { ("train", train), ("t10k", test) })
        {
            var images = new byte[count * 784];
            var labels = new byte[count];
            for (var i = 0; i < count; i++)
            {
                for (var p = 0; p < 784; p++)
                    images[i * 784 + p] = (byte)((p * 7 + i * 13) % 251);
                images[i * 784] = (byte)(i & 0xFF);
                images[i * 784 + 1] = (byte)(i >> 8);
                labels[i] = (byte)(i % 10);
            }
            Write(Path.Combine(folder, $"{prefix}-images-idx3-ubyte"), 3, [count, 28, 28], images);
            Write(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte"), 1, [count], labels);
        }
        return folder;
    }

    /// <summary>The first samples of the real Fashion-MNIST, as IDX files of their own.</summary>
    public static string FashionMnistSlice(int train, int test)
    {
        var (fullTrain, fullTest) = Datasets.DatasetCatalog.Open("FMNIST", Datasets.DatasetCatalog.DefaultFashionMnistPath);
        var folder = TempFolder("fmnist");
        foreach (var (prefix, data, count) in new[] { ("train", fullTrain, train), ("t10k", fullTest, test) })
        {
            var images = new byte[count * 784];
            var labels = new byte[count];
            for (var i = 0; i < count; i++)
            {
                data.Load(i, 1).Pixels.CopyTo(images, i * 784);
                labels[i] = (byte)data.Label(i);
            }
            Write(Path.Combine(folder, $"{prefix}-images-idx3-ubyte"), 3, [count, 28, 28], images);
            Write(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte"), 1, [count], labels);
        }
        return folder;
    }

    private static void Write(string path, int dims, int[] shape, byte[] data)
    {
        var header = new byte[4 + 4 * dims];
        BinaryPrimitives.WriteInt32BigEndian(header, 0x0800 | dims);
        for (var d = 0; d < dims; d++)
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * d), shape[d]);
        File.WriteAllBytes(path, [.. header, .. data]);
    }
}
