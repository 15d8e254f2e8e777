using System.Runtime.InteropServices;
using CloudAssembly.Data.Images;
using SkiaSharp;

namespace CloudAssembly.Data.Shards;

/// <summary>Encodes 8-bit images with Skia (libjpeg-turbo, libpng); the same pixels always give the same bytes.</summary>
internal static class ImageEncoder
{
    public static byte[] Jpeg(RgbImage image, int quality) =>
        Encode(image, pixmap => pixmap.Encode(new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore)));

    public static byte[] Png(RgbImage image) =>
        Encode(image, pixmap => pixmap.Encode(SKPngEncoderOptions.Default));

    private static byte[] Encode(RgbImage image, Func<SKPixmap, SKData?> encode)
    {
        // Skia has no 3-byte pixel format: RGB goes in as RGBA with opaque alpha, grey as Gray8.
        var grey = image.Channels == 1;
        var pixels = grey ? image.Pixels : ToRgbx(image);
        var info = new SKImageInfo(image.Width, image.Height, grey ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Opaque);
        var handle = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), info.RowBytes);
            using var data = encode(pixmap) ?? throw new InvalidOperationException($"Skia could not encode a {image.Width}x{image.Height} image.");
            return data.ToArray();
        }
        finally
        {
            handle.Free();
        }
    }

    private static byte[] ToRgbx(RgbImage image)
    {
        var source = image.Pixels;
        var rgbx = new byte[image.Width * image.Height * 4];
        for (int i = 0, j = 0; i < source.Length; i += 3, j += 4)
        {
            rgbx[j] = source[i];
            rgbx[j + 1] = source[i + 1];
            rgbx[j + 2] = source[i + 2];
            rgbx[j + 3] = 255;
        }
        return rgbx;
    }
}
