using System.Globalization;

namespace CloudAssembly.Data.Augmentation;

/// <summary>
/// A timm RandAugment spelling such as <c>rand-m9-mstd0.5-inc1</c>: magnitude <c>m</c> (0–10), <c>n</c> ops per
/// image, Gaussian magnitude noise <c>mstd</c>, and <c>inc</c> for the increasing op set.
/// </summary>
public sealed record RandAugmentConfig(int Magnitude = 10, int NumLayers = 2, double MagnitudeStd = 0, bool Increasing = false)
{
    /// <summary>timm's <c>_RAND_TRANSFORMS</c>.</summary>
    public static IReadOnlyList<RandAugmentOp> DefaultOps { get; } =
    [
        RandAugmentOp.AutoContrast, RandAugmentOp.Equalize, RandAugmentOp.Invert, RandAugmentOp.Rotate,
        RandAugmentOp.Posterize, RandAugmentOp.Solarize, RandAugmentOp.SolarizeAdd, RandAugmentOp.Color,
        RandAugmentOp.Contrast, RandAugmentOp.Brightness, RandAugmentOp.Sharpness, RandAugmentOp.ShearX,
        RandAugmentOp.ShearY, RandAugmentOp.TranslateXRel, RandAugmentOp.TranslateYRel,
    ];

    /// <summary>timm's <c>_RAND_INCREASING_TRANSFORMS</c>.</summary>
    public static IReadOnlyList<RandAugmentOp> IncreasingOps { get; } =
    [
        RandAugmentOp.AutoContrast, RandAugmentOp.Equalize, RandAugmentOp.Invert, RandAugmentOp.Rotate,
        RandAugmentOp.PosterizeIncreasing, RandAugmentOp.SolarizeIncreasing, RandAugmentOp.SolarizeAdd,
        RandAugmentOp.ColorIncreasing, RandAugmentOp.ContrastIncreasing, RandAugmentOp.BrightnessIncreasing,
        RandAugmentOp.SharpnessIncreasing, RandAugmentOp.ShearX, RandAugmentOp.ShearY,
        RandAugmentOp.TranslateXRel, RandAugmentOp.TranslateYRel,
    ];

    public IReadOnlyList<RandAugmentOp> Ops => Increasing ? IncreasingOps : DefaultOps;

    /// <summary>
    /// Reads timm's <c>rand_augment_transform</c> spelling. Like timm, <c>inc</c> with any value (even <c>inc0</c>)
    /// selects the increasing set. Unlike timm, which skips a section without digits and asserts on others, every
    /// section must be one of m, n, mstd, inc; the op weights (<c>w</c>) are not supported.
    /// </summary>
    public static RandAugmentConfig Parse(string spelling)
    {
        var sections = spelling.Split('-');
        if (sections[0] != "rand")
            throw new ArgumentException($"'{spelling}' is not a RandAugment spelling: it must start with 'rand', as in 'rand-m9-mstd0.5-inc1'.", nameof(spelling));
        var config = new RandAugmentConfig();
        foreach (var section in sections.Skip(1))
        {
            var digit = section.IndexOfAny("0123456789".ToCharArray());
            var key = digit < 0 ? section : section[..digit];
            var value = digit < 0 ? "" : section[digit..];
            config = key switch
            {
                "m" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var m) => config with { Magnitude = m },
                "n" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) => config with { NumLayers = n },
                "mstd" when double.TryParse(value, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var s)
                    => config with { MagnitudeStd = s },
                "inc" when value.Length > 0 => config with { Increasing = true },
                "w" => throw new ArgumentException($"'{spelling}': RandAugment op weights ('{section}') are not supported; drop that section.", nameof(spelling)),
                _ => throw new ArgumentException(
                    $"'{spelling}': cannot read the section '{section}'; RandAugment takes m<int>, n<int>, mstd<number> and inc<int>, as in 'rand-m9-mstd0.5-inc1'.",
                    nameof(spelling)),
            };
        }
        return config;
    }
}
