using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Augmentation;

/// <summary>
/// DeiT's evaluation transform: resize the shorter side to int(256/224·S) with PIL's bicubic, take torchvision's
/// centre crop of S, normalise. For inputs of 32 pixels or less DeiT neither resizes nor crops, so the image must
/// already be S×S.
/// </summary>
public sealed class EvalTransform(AugmentationOptions options) : ISampleTransform
{
    private readonly ImageNormalizer normalizer = new(options.Mean, options.Std);

    public AugmentationOptions Options { get; } = options;

    public int SampleLength => normalizer.Channels * Options.InputSize * Options.InputSize;

    /// <summary>Eval draws nothing; the generator is taken so both transforms share one shape.</summary>
    public void Apply(RgbImage source, SampleRandom rng, Span<float> destination) => Apply(source, destination);

    public void Apply(RgbImage source, Span<float> destination)
    {
        var size = Options.InputSize;
        if (Options.IsSmallInput)
        {
            if (source.Width != size || source.Height != size)
                throw new ArgumentException($"Inputs of {size} pixels are evaluated without resizing, so the image must be {size}x{size}, not {source.Width}x{source.Height}.", nameof(source));
            normalizer.Write(source, destination);
            return;
        }
        var (width, height) = ResizedSize(source.Width, source.Height, (int)(256.0 / 224.0 * size));
        var resized = width == source.Width && height == source.Height
            ? source
            : PilResize.Resize(source, width, height, ResampleFilter.Bicubic);
        normalizer.Write(resized, CenterCropBox(width, height, size), destination);
    }

    /// <summary>torchvision's <c>Resize(int)</c>: the shorter side becomes <paramref name="shorterSide"/>, the longer is truncated.</summary>
    public static (int Width, int Height) ResizedSize(int width, int height, int shorterSide)
    {
        if (width <= height)
            return (shorterSide, (int)((double)shorterSide * height / width));
        return ((int)((double)shorterSide * width / height), shorterSide);
    }

    /// <summary>torchvision's <c>CenterCrop</c>: offsets round((W − S) / 2) half to even, as Python's <c>round</c>.</summary>
    public static CropBox CenterCropBox(int width, int height, int size)
    {
        if (width < size || height < size)
            throw new ArgumentException($"A {width}x{height} image is smaller than the {size}x{size} centre crop.", nameof(size));
        return new CropBox((int)Math.Round((width - size) / 2.0), (int)Math.Round((height - size) / 2.0), size, size);
    }
}
