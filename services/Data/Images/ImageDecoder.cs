using System.Buffers;
using System.Runtime.Intrinsics;
using SkiaSharp;

namespace CloudAssembly.Data.Images;

/// <summary>
/// Decodes JPEG, PNG, WebP, BMP and GIF bytes with Skia into an 8-bit <see cref="RgbImage"/>, as PIL's
/// <c>Image.open(...).convert('RGB')</c> (or <c>'L'</c> for one channel) would: alpha is dropped, not composited, and
/// EXIF orientation is not applied. A truncated or undecodable file is a <see cref="CorruptImageException"/>.
/// </summary>
public static class ImageDecoder
{
    /// <summary>Larger than any photograph a ViT trains on (and than what fits one .NET array as RGBA).</summary>
    public const long MaxPixels = 256L * 1024 * 1024;

    public static RgbImage Decode(ReadOnlySpan<byte> encoded, int channels, string source)
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data) ?? throw new CorruptImageException(source,
            Signature(encoded) is { } kind ? $"a damaged or truncated {kind} file" : "not an image (no JPEG, PNG, WebP, GIF or BMP signature)");
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width < 1 || height < 1 || (long)width * height > MaxPixels)
            throw new CorruptImageException(source, $"implausible size {width}x{height}");
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        // A pooled buffer: a fresh one per image would be a zeroed large-object allocation for every sample.
        var rgba = ArrayPool<byte>.Shared.Rent(info.BytesSize);
        try
        {
            SKCodecResult result;
            unsafe
            {
                fixed (byte* p = rgba)
                    result = codec.GetPixels(info, (IntPtr)p);
            }
            if (result != SKCodecResult.Success)
                throw new CorruptImageException(source, result == SKCodecResult.IncompleteInput ? "the file is truncated" : $"decoding failed ({result})");
            return FromRgba(rgba, info.Width, info.Height, channels);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rgba);
        }
    }

    public static RgbImage DecodeFile(string path, int channels)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new CorruptImageException(path, e.Message);
        }
        return Decode(bytes, channels, path);
    }

    private static string? Signature(ReadOnlySpan<byte> b) => b switch
    {
        [0xFF, 0xD8, 0xFF, ..] => "JPEG",
        [0x89, (byte)'P', (byte)'N', (byte)'G', ..] => "PNG",
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => "WebP",
        [(byte)'G', (byte)'I', (byte)'F', (byte)'8', ..] => "GIF",
        [(byte)'B', (byte)'M', ..] => "BMP",
        _ => null,
    };

    private static RgbImage FromRgba(byte[] rgba, int width, int height, int channels)
    {
        var pixels = width * height;
        var image = new RgbImage(width, height, channels, GC.AllocateUninitializedArray<byte>(pixels * channels));
        var dst = image.Pixels;
        if (channels == 3)
        {
            DropAlpha(rgba, dst, pixels);
        }
        else
        {
            // PIL's convert('L'): ITU-R 601-2 luma in 16-bit fixed point.
            for (var i = 0; i < pixels; i++)
                dst[i] = (byte)((rgba[4 * i] * 19595 + rgba[4 * i + 1] * 38470 + rgba[4 * i + 2] * 7471 + 0x8000) >> 16);
        }
        return image;
    }

    /// <summary>RGBA to RGB, four pixels per shuffle; each store writes 16 bytes of which the next one overwrites the last 4.</summary>
    private static void DropAlpha(byte[] rgba, byte[] rgb, int pixels)
    {
        var i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var pick = Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80);
            for (; (i + 4) * 4 <= rgba.Length && i * 3 + 16 <= rgb.Length && i + 4 <= pixels; i += 4)
                Vector128.Shuffle(Vector128.Create(rgba, i * 4), pick).CopyTo(rgb, i * 3);
        }
        for (; i < pixels; i++)
        {
            rgb[3 * i] = rgba[4 * i];
            rgb[3 * i + 1] = rgba[4 * i + 1];
            rgb[3 * i + 2] = rgba[4 * i + 2];
        }
    }
}
