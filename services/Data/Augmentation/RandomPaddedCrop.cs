using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Augmentation;

/// <summary>
/// torchvision's <c>RandomCrop(size, padding)</c> with zero padding, which DeiT uses instead of the resized crop for
/// inputs of 32 pixels or less.
/// </summary>
public sealed class RandomPaddedCrop(int size, int padding)
{
    public RgbImage Apply(RgbImage source, SampleRandom rng) =>
        ImageCrop.Crop(source, SampleBox(source.Width, source.Height, size, padding, rng));

    /// <summary>The box in the coordinates of the unpadded image, so it may start at −padding.</summary>
    public static CropBox SampleBox(int width, int height, int size, int padding, SampleRandom rng)
    {
        var paddedWidth = width + 2 * padding;
        var paddedHeight = height + 2 * padding;
        if (paddedWidth < size || paddedHeight < size)
            throw new ArgumentException($"A {width}x{height} image padded by {padding} is smaller than the {size}x{size} crop.", nameof(size));
        var top = rng.NextInt(0, paddedHeight - size + 1);
        var left = rng.NextInt(0, paddedWidth - size + 1);
        return new CropBox(left - padding, top - padding, size, size);
    }
}
