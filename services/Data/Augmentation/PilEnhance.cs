using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Augmentation;

/// <summary>
/// PIL's <c>ImageEnhance</c> classes, in place: <c>Image.blend(degenerate, image, factor)</c>, which Pillow computes
/// in single precision and truncates (clipping only when the factor extrapolates beyond [0, 1]).
/// </summary>
public static class PilEnhance
{
    /// <summary>SMOOTH's weights as Pillow stores them: single-precision 1/13 and 5/13.</summary>
    private static readonly float Smooth1 = (float)(1.0 / 13.0);
    private static readonly float Smooth5 = (float)(5.0 / 13.0);

    /// <summary>Saturation: blends with the image's own grey. A grey image is its own degenerate, so it stays.</summary>
    public static void Color(RgbImage image, double factor)
    {
        if (image.Channels == 1)
            return;
        var alpha = (float)factor;
        var pixels = image.Pixels;
        for (var i = 0; i < pixels.Length; i += 3)
        {
            int grey = Grey(pixels[i], pixels[i + 1], pixels[i + 2]);
            pixels[i] = Blend(grey, pixels[i], alpha);
            pixels[i + 1] = Blend(grey, pixels[i + 1], alpha);
            pixels[i + 2] = Blend(grey, pixels[i + 2], alpha);
        }
    }

    /// <summary>Blends with a flat image at the rounded mean of the grey image.</summary>
    public static void Contrast(RgbImage image, double factor)
    {
        var pixels = image.Pixels;
        long sum = 0;
        if (image.Channels == 1)
        {
            foreach (var v in pixels)
                sum += v;
        }
        else
        {
            for (var i = 0; i < pixels.Length; i += 3)
                sum += Grey(pixels[i], pixels[i + 1], pixels[i + 2]);
        }
        var mean = (int)((double)sum / (image.Width * image.Height) + 0.5);
        MapThroughBlend(image, mean, (float)factor);
    }

    /// <summary>Blends with black.</summary>
    public static void Brightness(RgbImage image, double factor) => MapThroughBlend(image, 0, (float)factor);

    /// <summary>
    /// Blends with <c>ImageFilter.SMOOTH</c> (the 3×3 kernel [1 1 1; 1 5 1; 1 1 1] / 13 in single precision), which
    /// copies the one-pixel border, so the border keeps its values.
    /// </summary>
    public static unsafe void Sharpness(RgbImage image, double factor)
    {
        // Pillow does not filter an image smaller than the kernel; the blend with a copy changes nothing.
        if (image.Width < 3 || image.Height < 3)
            return;
        var alpha = (float)factor;
        var channels = image.Channels;
        var stride = image.Stride;
        var pixels = image.Pixels;
        var original = ArrayPool<byte>.Shared.Rent(pixels.Length);
        try
        {
            pixels.CopyTo(original, 0);
            fixed (byte* src = original, dst = pixels)
            {
                for (var y = 1; y < image.Height - 1; y++)
                {
                    var row = src + y * stride;
                    var i = channels;
                    var end = stride - channels;
                    if (Avx2.IsSupported)
                    {
                        for (; i + 8 <= end; i += 8)
                            SharpenEight(row + i, stride, channels, alpha, dst + y * stride + i);
                    }
                    for (; i < end; i++)
                        dst[y * stride + i] = Blend(Smooth(row + i, stride, channels), row[i], alpha);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(original);
        }
    }

    /// <summary>ITU-R 601-2 luma in Pillow's 16-bit fixed point (<c>convert("L")</c>).</summary>
    private static byte Grey(int r, int g, int b) => (byte)((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);

    private static byte Blend(int degenerate, int value, float alpha)
    {
        var t = degenerate + alpha * (value - degenerate);
        return t <= 0f ? (byte)0 : t >= 255f ? (byte)255 : (byte)t;
    }

    /// <summary>
    /// Pillow's <c>ImagingFilter3x3</c> for one value: single precision, rows summed below, centre, above, plus 0.5,
    /// then truncated; the order of the additions matters for the last bit.
    /// </summary>
    private static unsafe int Smooth(byte* p, int stride, int step)
    {
        var k1 = Smooth1;
        var below = p + stride;
        var above = p - stride;
        var ss = 0.5f;
        ss += below[-step] * k1 + below[0] * k1 + below[step] * k1;
        ss += p[-step] * k1 + p[0] * Smooth5 + p[step] * k1;
        ss += above[-step] * k1 + above[0] * k1 + above[step] * k1;
        return ss <= 0f ? 0 : ss >= 255f ? 255 : (int)ss;
    }

    /// <summary>Eight consecutive values of <see cref="Smooth"/> and <see cref="Blend"/> in float lanes, same operations, same order.</summary>
    private static unsafe void SharpenEight(byte* p, int stride, int step, float alphaValue, byte* output)
    {
        var k1 = Vector256.Create(Smooth1);
        var ss = Vector256.Create(0.5f);
        ss = Avx.Add(ss, RowSum(p + stride, step, k1, k1));
        ss = Avx.Add(ss, RowSum(p, step, k1, Vector256.Create(Smooth5)));
        ss = Avx.Add(ss, RowSum(p - stride, step, k1, k1));
        var max = Vector256.Create(255f);
        var smooth = Avx.ConvertToVector256Int32WithTruncation(Avx.Min(Avx.Max(ss, Vector256<float>.Zero), max));
        var value = Avx2.ConvertToVector256Int32(p);
        var blended = Avx.Add(Avx.ConvertToVector256Single(smooth),
            Avx.Multiply(Vector256.Create(alphaValue), Avx.ConvertToVector256Single(Avx2.Subtract(value, smooth))));
        var ints = Avx.ConvertToVector256Int32WithTruncation(Avx.Min(Avx.Max(blended, Vector256<float>.Zero), max));
        var words = Sse2.PackSignedSaturate(ints.GetLower(), ints.GetUpper());
        Unsafe.WriteUnaligned(output, Sse2.PackUnsignedSaturate(words, words).AsUInt64().ToScalar());
    }

    private static unsafe Vector256<float> RowSum(byte* p, int step, Vector256<float> side, Vector256<float> centre) =>
        Avx.Add(Avx.Add(Avx.Multiply(Load(p - step), side), Avx.Multiply(Load(p), centre)), Avx.Multiply(Load(p + step), side));

    private static unsafe Vector256<float> Load(byte* p) => Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(p));

    private static void MapThroughBlend(RgbImage image, int degenerate, float alpha)
    {
        Span<byte> lut = stackalloc byte[256];
        for (var v = 0; v < 256; v++)
            lut[v] = Blend(degenerate, v, alpha);
        var pixels = image.Pixels;
        for (var i = 0; i < pixels.Length; i++)
            pixels[i] = lut[pixels[i]];
    }
}
