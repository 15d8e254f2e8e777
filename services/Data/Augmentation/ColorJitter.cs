using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Augmentation;

/// <summary>
/// torchvision's <c>ColorJitter(b, c, s)</c> as timm builds it when no auto-augment is set: brightness, contrast and
/// saturation (PIL's <c>ImageEnhance</c> Color) factors drawn from [max(0, 1 − x), 1 + x], applied in a random order.
/// </summary>
public sealed class ColorJitter(double brightness, double contrast, double saturation)
{
    public void Apply(RgbImage image, SampleRandom rng)
    {
        // torchvision permutes four adjustments; the fourth, hue, is off in timm's jitter.
        int[] order = [0, 1, 2, 3];
        rng.Shuffle(order);
        var brightnessFactor = Factor(brightness, rng);
        var contrastFactor = Factor(contrast, rng);
        var saturationFactor = Factor(saturation, rng);
        foreach (var adjustment in order)
        {
            if (adjustment == 0 && brightnessFactor is { } b)
                PilEnhance.Brightness(image, b);
            else if (adjustment == 1 && contrastFactor is { } c)
                PilEnhance.Contrast(image, c);
            else if (adjustment == 2 && saturationFactor is { } s)
                PilEnhance.Color(image, s);
        }
    }

    private static double? Factor(double strength, SampleRandom rng) =>
        strength > 0 ? rng.Uniform(Math.Max(0, 1 - strength), 1 + strength) : null;
}
