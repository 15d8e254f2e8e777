using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Augmentation;

/// <summary>
/// timm's <c>RandomResizedCropAndInterpolation</c>: a box of random area and aspect ratio, resized to a square with
/// PIL's resize.
/// </summary>
public sealed class RandomResizedCrop(int size, (double Min, double Max) scale, (double Min, double Max) ratio, Interpolation interpolation)
{
    private const int Attempts = 10;

    public RgbImage Apply(RgbImage source, SampleRandom rng)
    {
        var box = SampleBox(source.Width, source.Height, scale, ratio, rng);
        return PilResize.ResizeCrop(source, box, size, size, interpolation.Pick(rng));
    }

    /// <summary>
    /// timm's <c>get_params</c>: up to ten tries of area U(scale)·W·H and a log-uniform ratio, sides rounded half to
    /// even as Python's <c>round</c>; the first box that fits is placed uniformly. When none fits, the centred largest
    /// box whose ratio is clamped into the range. A try that rounds a side to zero is rejected (timm 0.3.2 would crash
    /// on it later; only images of a few pixels can produce one).
    /// </summary>
    public static CropBox SampleBox(int width, int height, (double Min, double Max) scale, (double Min, double Max) ratio, SampleRandom rng)
    {
        double area = width * height;
        var logRatioMin = Math.Log(ratio.Min);
        var logRatioMax = Math.Log(ratio.Max);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var targetArea = rng.Uniform(scale.Min, scale.Max) * area;
            var aspectRatio = Math.Exp(rng.Uniform(logRatioMin, logRatioMax));
            var w = (int)Math.Round(Math.Sqrt(targetArea * aspectRatio));
            var h = (int)Math.Round(Math.Sqrt(targetArea / aspectRatio));
            if (w >= 1 && h >= 1 && w <= width && h <= height)
            {
                var top = rng.NextInt(0, height - h + 1);
                var left = rng.NextInt(0, width - w + 1);
                return new CropBox(left, top, w, h);
            }
        }
        var inRatio = (double)width / height;
        var minRatio = Math.Min(ratio.Min, ratio.Max);
        var maxRatio = Math.Max(ratio.Min, ratio.Max);
        int fw = width, fh = height;
        if (inRatio < minRatio)
            fh = (int)Math.Round(fw / minRatio);
        else if (inRatio > maxRatio)
            fw = (int)Math.Round(fh * maxRatio);
        return new CropBox((width - fw) / 2, (height - fh) / 2, fw, fh);
    }
}
