using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Augmentation;

public static class ImageCrop
{
    /// <summary>
    /// PIL's <c>crop</c>: the box may reach outside the image, and what lies outside is black. That is also how
    /// <c>RandomCrop(padding=4)</c> reads from the zero-padded image without building it.
    /// </summary>
    public static RgbImage Crop(RgbImage source, CropBox box)
    {
        if (box.Width < 1 || box.Height < 1)
            throw new ArgumentOutOfRangeException(nameof(box), $"A crop needs a positive size, got {box.Width}x{box.Height}.");
        var channels = source.Channels;
        var result = new RgbImage(box.Width, box.Height, channels);
        var x0 = Math.Max(box.Left, 0);
        var x1 = Math.Min(box.Right, source.Width);
        var y0 = Math.Max(box.Top, 0);
        var y1 = Math.Min(box.Bottom, source.Height);
        if (x1 <= x0)
            return result;
        var bytes = (x1 - x0) * channels;
        for (var y = y0; y < y1; y++)
        {
            source.Pixels.AsSpan((y * source.Width + x0) * channels, bytes)
                .CopyTo(result.Pixels.AsSpan(((y - box.Top) * box.Width + x0 - box.Left) * channels));
        }
        return result;
    }
}
