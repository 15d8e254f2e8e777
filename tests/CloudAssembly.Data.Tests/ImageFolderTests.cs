using CloudAssembly.Data.Augmentation;
using CloudAssembly.Data.Datasets;
using CloudAssembly.Data.Images;
using CloudAssembly.Data.Loading;
using CloudAssembly.Training.Loading;
using SkiaSharp;
using static TorchSharp.torch;

namespace CloudAssembly.Data.Tests;

public class ImageFolderTests
{
    private static byte[] Encode(SKEncodedImageFormat format, int size, byte shade)
    {
        using var bitmap = new SKBitmap(size, size);
        bitmap.Erase(new SKColor(shade, (byte)(255 - shade), 40));
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 95);
        return data.ToArray();
    }

    /// <summary>root/{train,val}/{a_dog,b_cat}/ with PNG and JPEG files; <paramref name="corrupt"/> adds broken ones to train.</summary>
    private static string MakeFolder(bool corrupt = false)
    {
        var root = Directory.CreateTempSubdirectory("imagefolder").FullName;
        foreach (var split in new[] { "train", "val" })
            foreach (var (cls, shade) in new[] { ("b_cat", (byte)200), ("a_dog", (byte)30) })
            {
                var dir = Directory.CreateDirectory(Path.Combine(root, split, cls)).FullName;
                for (var i = 0; i < 4; i++)
                    File.WriteAllBytes(Path.Combine(dir, $"{i}.{(i % 2 == 0 ? "png" : "jpg")}"),
                        Encode(i % 2 == 0 ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg, 32, shade));
                File.WriteAllText(Path.Combine(dir, "notes.txt"), "not an image");
            }
        if (corrupt)
        {
            File.WriteAllBytes(Path.Combine(root, "train", "a_dog", "1.jpg"), "this is not a jpeg"u8.ToArray());
            var jpeg = Encode(SKEncodedImageFormat.Jpeg, 32, 30);
            File.WriteAllBytes(Path.Combine(root, "train", "b_cat", "3.jpg"), jpeg[..(jpeg.Length / 3)]);
        }
        return root;
    }

    [Fact]
    public void Labels_come_from_sorted_class_folders_and_only_images_count()
    {
        var (train, val) = DatasetCatalog.Open("FOLDER", MakeFolder());
        Assert.Equal(["a_dog", "b_cat"], train.Classes);
        Assert.Equal(8, train.Count);
        Assert.Equal([0, 0, 0, 0, 1, 1, 1, 1], Enumerable.Range(0, 8).Select(train.Label));
        var image = train.Load(0, 3);
        Assert.Equal((32, 32, 3), (image.Width, image.Height, image.Channels));
        Assert.InRange((int)image[5, 5, 0], 25, 35);
        Assert.Equal(val.Classes, train.Classes);
    }

    [Fact]
    public void A_val_class_unknown_to_train_is_refused_naming_the_folder()
    {
        var root = MakeFolder();
        Directory.Move(Path.Combine(root, "val", "b_cat"), Path.Combine(root, "val", "c_bird"));
        var e = Assert.Throws<InvalidDataException>(() => DatasetCatalog.Open("FOLDER", root));
        Assert.Contains(Path.Combine(root, "val", "c_bird"), e.Message);
    }

    [Fact]
    public void A_class_folder_without_images_is_refused_naming_it()
    {
        var root = MakeFolder();
        foreach (var f in Directory.GetFiles(Path.Combine(root, "train", "b_cat"), "*.*g"))
            File.Delete(f);
        var e = Assert.Throws<InvalidDataException>(() => DatasetCatalog.Open("FOLDER", root));
        Assert.Contains(Path.Combine(root, "train", "b_cat"), e.Message);
        Assert.Contains("no images", e.Message);
    }

    [Fact]
    public void Corrupt_and_truncated_images_are_skipped_counted_and_named_and_batches_stay_full()
    {
        var root = MakeFolder(corrupt: true);
        var (train, _) = DatasetCatalog.Open("FOLDER", root);
        var options = new AugmentationOptions { InputSize = 32, AutoAugment = "none", ReProb = 0 };
        var reported = new List<string>();
        var loader = new BatchLoader(train, new EvalTransform(options), new SampleShape(3, 32), new SequentialSampler(train.Count),
            new LoaderOptions(4, DropLast: false, Workers: 2, Prefetch: 2, Seed: 0, CPU));
        loader.CorruptImage += reported.Add;
        var sizes = new List<long>();
        foreach (var batch in loader.Epoch(0))
        {
            using var b = batch;
            sizes.Add(b.Size);
            Assert.True(b.Images.isfinite().all().item<bool>());
        }
        Assert.Equal([4, 4], sizes);
        Assert.Equal(2, loader.Report.Skipped);
        Assert.Equal(2, reported.Count);
        Assert.Contains(loader.Report.CorruptFiles, m => m.Contains(Path.Combine(root, "train", "a_dog", "1.jpg")) && m.Contains("not an image"));
        Assert.Contains(loader.Report.CorruptFiles, m => m.Contains(Path.Combine(root, "train", "b_cat", "3.jpg")) && m.Contains("truncated"));
        Assert.All(reported, r => Assert.Contains("Skipped", r));
    }

    [Fact]
    public void Decoding_garbage_names_the_source()
    {
        var e = Assert.Throws<CorruptImageException>(() => ImageDecoder.Decode("GIF89a-garbage"u8, 3, "shard-7/img-3.gif"));
        Assert.Contains("shard-7/img-3.gif", e.Message);
    }
}
