using CloudAssembly.Data.Augmentation;
using CloudAssembly.Data.Datasets;
using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Shards;

/// <summary>
/// Turns one source sample into a shard member as <see cref="ShardPreprocessing"/> says. Every image is decoded once,
/// so a corrupt file is found here (a <see cref="CorruptImageException"/> naming it) and never reaches a shard.
/// </summary>
internal static class ShardEncoder
{
    public static EncodedImage Encode(IImageDataset data, int index, ShardPreprocessing preprocessing, string name)
    {
        if (data is ImageFolderDataset folder)
            return EncodeFile(folder.PathOf(index), preprocessing, name);
        // The only other source is IDX: grey pixel arrays, kept grey.
        var image = data.Load(index, 1);
        return preprocessing.Resizes ? AsJpeg(image, preprocessing) : new EncodedImage("png", ImageEncoder.Png(image));
    }

    private static EncodedImage EncodeFile(string path, ShardPreprocessing preprocessing, string name)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new CorruptImageException(name, e.Message);
        }
        var image = ImageDecoder.Decode(bytes, 3, name);
        var isJpeg = bytes is [0xFF, 0xD8, 0xFF, ..];
        if (!preprocessing.Resizes)
            return new EncodedImage(isJpeg ? "jpg" : Extension(path), bytes);
        if (isJpeg && Math.Min(image.Width, image.Height) <= preprocessing.MaxShorterSide)
            return new EncodedImage("jpg", bytes);
        return AsJpeg(image, preprocessing);
    }

    private static EncodedImage AsJpeg(RgbImage image, ShardPreprocessing preprocessing)
    {
        var side = preprocessing.MaxShorterSide!.Value;
        if (Math.Min(image.Width, image.Height) > side)
        {
            var (width, height) = EvalTransform.ResizedSize(image.Width, image.Height, side);
            image = PilResize.Resize(image, width, height, ResampleFilter.Bicubic);
        }
        return new EncodedImage("jpg", ImageEncoder.Jpeg(image, preprocessing.JpegQuality!.Value));
    }

    private static string Extension(string path) => Path.GetExtension(path).TrimStart('.').ToLowerInvariant() switch
    {
        "jpeg" => "jpg",
        var other => other,
    };
}
