using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Augmentation;

/// <summary>
/// PIL's <c>ImageOps</c> point operations and timm's <c>solarize_add</c>, in place. Each builds the same lookup
/// table as Pillow (per channel where Pillow works on the per-band histogram) and maps the bytes through it.
/// </summary>
public static class PilImageOps
{
    public static void Invert(RgbImage image)
    {
        Span<byte> lut = stackalloc byte[256];
        for (var i = 0; i < 256; i++)
            lut[i] = (byte)(255 - i);
        MapAll(image, lut);
    }

    /// <summary>Keeps the top <paramref name="bits"/> bits of every value; 0 bits makes the image black.</summary>
    public static void Posterize(RgbImage image, int bits)
    {
        if (bits is < 0 or > 8)
            throw new ArgumentOutOfRangeException(nameof(bits), $"Posterize keeps 0 to 8 bits, got {bits}.");
        var mask = ~((1 << (8 - bits)) - 1);
        Span<byte> lut = stackalloc byte[256];
        for (var i = 0; i < 256; i++)
            lut[i] = (byte)(i & mask);
        MapAll(image, lut);
    }

    /// <summary>Inverts every value at or above <paramref name="threshold"/> (256 leaves the image unchanged).</summary>
    public static void Solarize(RgbImage image, int threshold)
    {
        Span<byte> lut = stackalloc byte[256];
        for (var i = 0; i < 256; i++)
            lut[i] = (byte)(i < threshold ? i : 255 - i);
        MapAll(image, lut);
    }

    /// <summary>timm's <c>solarize_add</c>: adds <paramref name="add"/> (saturating) to every value below the threshold.</summary>
    public static void SolarizeAdd(RgbImage image, int add, int threshold = 128)
    {
        Span<byte> lut = stackalloc byte[256];
        for (var i = 0; i < 256; i++)
            lut[i] = (byte)(i < threshold ? Math.Min(255, i + add) : i);
        MapAll(image, lut);
    }

    /// <summary>
    /// <c>ImageOps.autocontrast(image)</c> with no cutoff: each channel's [lo, hi] is stretched to [0, 255], the
    /// value truncated as Pillow's <c>int(ix * scale + offset)</c> does; a flat channel is left alone.
    /// </summary>
    public static void AutoContrast(RgbImage image)
    {
        var channels = image.Channels;
        Span<int> histogram = stackalloc int[256 * channels];
        Histogram(image, histogram);
        Span<byte> luts = stackalloc byte[256 * channels];
        for (var c = 0; c < channels; c++)
        {
            var h = histogram.Slice(c * 256, 256);
            var lut = luts.Slice(c * 256, 256);
            var lo = 0;
            while (lo < 255 && h[lo] == 0)
                lo++;
            var hi = 255;
            while (hi > 0 && h[hi] == 0)
                hi--;
            if (hi <= lo)
            {
                Identity(lut);
                continue;
            }
            var scale = 255.0 / (hi - lo);
            var offset = -lo * scale;
            for (var i = 0; i < 256; i++)
                lut[i] = (byte)Math.Clamp((int)(i * scale + offset), 0, 255);
        }
        MapPerChannel(image, luts);
    }

    /// <summary>
    /// <c>ImageOps.equalize(image)</c>: per channel, the cumulative histogram in steps of (total − last bin) / 255,
    /// with Pillow's integer rounding; channels with one value, or too few pixels for a step, are left alone.
    /// </summary>
    public static void Equalize(RgbImage image)
    {
        var channels = image.Channels;
        Span<int> histogram = stackalloc int[256 * channels];
        Histogram(image, histogram);
        Span<byte> luts = stackalloc byte[256 * channels];
        for (var c = 0; c < channels; c++)
        {
            var h = histogram.Slice(c * 256, 256);
            var lut = luts.Slice(c * 256, 256);
            long total = 0;
            var last = 0;
            var used = 0;
            for (var i = 0; i < 256; i++)
            {
                if (h[i] == 0)
                    continue;
                total += h[i];
                last = h[i];
                used++;
            }
            var step = used <= 1 ? 0 : (total - last) / 255;
            if (step == 0)
            {
                Identity(lut);
                continue;
            }
            var n = step / 2;
            for (var i = 0; i < 256; i++)
            {
                // n / step passes 255 when the bins before the last hold more than 255 steps; Pillow's point() clips.
                lut[i] = (byte)Math.Min(n / step, 255);
                n += h[i];
            }
        }
        MapPerChannel(image, luts);
    }

    private static void Histogram(RgbImage image, Span<int> histogram)
    {
        histogram.Clear();
        var channels = image.Channels;
        var pixels = image.Pixels;
        if (channels == 1)
        {
            foreach (var v in pixels)
                histogram[v]++;
            return;
        }
        for (var i = 0; i < pixels.Length; i += 3)
        {
            histogram[pixels[i]]++;
            histogram[256 + pixels[i + 1]]++;
            histogram[512 + pixels[i + 2]]++;
        }
    }

    private static void Identity(Span<byte> lut)
    {
        for (var i = 0; i < 256; i++)
            lut[i] = (byte)i;
    }

    private static void MapAll(RgbImage image, ReadOnlySpan<byte> lut)
    {
        var pixels = image.Pixels;
        for (var i = 0; i < pixels.Length; i++)
            pixels[i] = lut[pixels[i]];
    }

    private static void MapPerChannel(RgbImage image, ReadOnlySpan<byte> luts)
    {
        if (image.Channels == 1)
        {
            MapAll(image, luts);
            return;
        }
        var pixels = image.Pixels;
        var r = luts[..256];
        var g = luts.Slice(256, 256);
        var b = luts.Slice(512, 256);
        for (var i = 0; i < pixels.Length; i += 3)
        {
            pixels[i] = r[pixels[i]];
            pixels[i + 1] = g[pixels[i + 1]];
            pixels[i + 2] = b[pixels[i + 2]];
        }
    }
}
