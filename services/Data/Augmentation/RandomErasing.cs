namespace CloudAssembly.Data.Augmentation;

/// <summary>
/// timm 0.3.2's <c>RandomErasing</c> on one normalised CHW sample: with the given probability, up to ten tries for a
/// rectangle of area U(0.02, 1/3) of the image (split among <c>count</c> rectangles) and log-uniform aspect in
/// [0.3, 1/0.3], strictly smaller than the image, filled with standard normal noise in <see cref="ErasingMode.Pixel"/>.
/// </summary>
public sealed class RandomErasing(double probability, ErasingMode mode = ErasingMode.Pixel, int minCount = 1, int maxCount = 1)
{
    private const int Attempts = 10;
    private const double MinArea = 0.02;
    private const double MaxArea = 1.0 / 3;
    private static readonly double LogMinAspect = Math.Log(0.3);
    private static readonly double LogMaxAspect = Math.Log(1 / 0.3);

    public double Probability { get; } = probability;

    /// <summary>Erases in place and returns the rectangles it erased (none most of the time).</summary>
    public IReadOnlyList<CropBox> Apply(Span<float> sample, int channels, int height, int width, SampleRandom rng)
    {
        if (sample.Length != channels * height * width)
            throw new ArgumentException($"{sample.Length} values do not make a {channels}x{height}x{width} sample.", nameof(sample));
        // A zero probability draws nothing, so turning erasing off leaves the other augmentations' draws as they were.
        if (Probability <= 0 || rng.NextDouble() > Probability)
            return [];
        var area = (double)height * width;
        var count = minCount == maxCount ? minCount : rng.NextInt(minCount, maxCount + 1);
        var erased = new List<CropBox>(count);
        for (var n = 0; n < count; n++)
        {
            for (var attempt = 0; attempt < Attempts; attempt++)
            {
                var targetArea = rng.Uniform(MinArea, MaxArea) * area / count;
                var aspectRatio = Math.Exp(rng.Uniform(LogMinAspect, LogMaxAspect));
                var h = (int)Math.Round(Math.Sqrt(targetArea * aspectRatio));
                var w = (int)Math.Round(Math.Sqrt(targetArea / aspectRatio));
                if (w >= width || h >= height)
                    continue;
                var top = rng.NextInt(0, height - h + 1);
                var box = new CropBox(rng.NextInt(0, width - w + 1), top, w, h);
                Fill(sample, channels, height, width, box, rng);
                erased.Add(box);
                break;
            }
        }
        return erased;
    }

    private void Fill(Span<float> sample, int channels, int height, int width, CropBox box, SampleRandom rng)
    {
        for (var c = 0; c < channels; c++)
        {
            var channelValue = mode == ErasingMode.Rand ? (float)rng.Normal() : 0f;
            for (var y = box.Top; y < box.Bottom; y++)
            {
                var row = sample.Slice((c * height + y) * width + box.Left, box.Width);
                if (mode != ErasingMode.Pixel)
                {
                    row.Fill(channelValue);
                    continue;
                }
                for (var x = 0; x < row.Length; x++)
                    row[x] = (float)rng.Normal();
            }
        }
    }
}
