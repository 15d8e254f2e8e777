using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Augmentation;

public static class HorizontalFlip
{
    /// <summary>torchvision's <c>RandomHorizontalFlip</c>: mirrors in place with the given probability.</summary>
    public static void ApplyRandom(RgbImage image, SampleRandom rng, double probability = 0.5)
    {
        if (rng.Chance(probability))
            Flip(image);
    }

    public static void Flip(RgbImage image)
    {
        var channels = image.Channels;
        for (var y = 0; y < image.Height; y++)
        {
            var row = image.Pixels.AsSpan(y * image.Stride, image.Stride);
            if (channels == 1)
            {
                row.Reverse();
                continue;
            }
            for (int left = 0, right = (image.Width - 1) * channels; left < right; left += channels, right -= channels)
            {
                for (var c = 0; c < channels; c++)
                    (row[left + c], row[right + c]) = (row[right + c], row[left + c]);
            }
        }
    }
}
