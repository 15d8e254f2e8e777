using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Augmentation;

/// <summary>
/// timm 0.3.2's <c>RandAugment</c>: <c>NumLayers</c> ops drawn uniformly with replacement, each applied with
/// probability 0.5 at magnitude N(m, mstd) clipped to [0, 10], with timm's level-to-argument maps and a random sign
/// for rotate, shear, translate and the increasing enhance factors. Sampling is separate from applying, so the
/// decisions can be inspected.
/// </summary>
public sealed class RandAugment(RandAugmentConfig config, RandAugmentParameters parameters)
{
    /// <summary>timm's <c>_MAX_LEVEL</c>: magnitudes live in [0, 10].</summary>
    public const double MaxLevel = 10.0;

    public RandAugmentConfig Config { get; } = config;

    public RandAugmentParameters Parameters { get; } = parameters;

    public IReadOnlyList<RandAugmentStep> Sample(SampleRandom rng)
    {
        var ops = Config.Ops;
        Span<int> chosen = stackalloc int[Config.NumLayers];
        for (var i = 0; i < chosen.Length; i++)
            chosen[i] = rng.NextInt(0, ops.Count);
        var steps = new List<RandAugmentStep>(chosen.Length);
        foreach (var index in chosen)
        {
            // timm skips when random() > prob, so an op runs when the draw is at most prob.
            if (rng.NextDouble() > Parameters.Probability)
                continue;
            var magnitude = (double)Config.Magnitude;
            if (Config.MagnitudeStd > 0)
                magnitude += Config.MagnitudeStd * rng.Normal();
            magnitude = Math.Min(MaxLevel, Math.Max(0, magnitude));
            var op = ops[index];
            var argument = Argument(op, magnitude, rng);
            ResampleFilter? filter = IsGeometric(op) ? Parameters.Interpolation.Pick(rng) : null;
            steps.Add(new RandAugmentStep(op, magnitude, argument, filter));
        }
        return steps;
    }

    /// <summary>Applies the steps in order; the image may be changed in place, and the result may be a new image.</summary>
    public RgbImage Apply(RgbImage image, IReadOnlyList<RandAugmentStep> steps)
    {
        foreach (var step in steps)
            image = Apply(image, step);
        return image;
    }

    public RgbImage Apply(RgbImage image, SampleRandom rng) => Apply(image, Sample(rng));

    /// <summary>timm's <c>LEVEL_TO_ARG</c> functions, with their double arithmetic and truncations.</summary>
    public double Argument(RandAugmentOp op, double magnitude, SampleRandom rng)
    {
        var level = magnitude / MaxLevel;
        return op switch
        {
            RandAugmentOp.AutoContrast or RandAugmentOp.Equalize or RandAugmentOp.Invert => 0,
            RandAugmentOp.Rotate => RandomlyNegate(level * 30.0, rng),
            RandAugmentOp.Posterize => (int)(level * 4),
            RandAugmentOp.PosterizeIncreasing => 4 - (int)(level * 4),
            RandAugmentOp.Solarize => (int)(level * 256),
            RandAugmentOp.SolarizeIncreasing => 256 - (int)(level * 256),
            RandAugmentOp.SolarizeAdd => (int)(level * 110),
            RandAugmentOp.Color or RandAugmentOp.Contrast or RandAugmentOp.Brightness or RandAugmentOp.Sharpness
                => level * 1.8 + 0.1,
            RandAugmentOp.ColorIncreasing or RandAugmentOp.ContrastIncreasing or RandAugmentOp.BrightnessIncreasing
                or RandAugmentOp.SharpnessIncreasing => 1.0 + RandomlyNegate(level * 0.9, rng),
            RandAugmentOp.ShearX or RandAugmentOp.ShearY => RandomlyNegate(level * 0.3, rng),
            RandAugmentOp.TranslateXRel or RandAugmentOp.TranslateYRel => RandomlyNegate(level * Parameters.TranslatePercent, rng),
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Not a RandAugment op."),
        };
    }

    private RgbImage Apply(RgbImage image, RandAugmentStep step)
    {
        var argument = step.Argument;
        var filter = step.Filter ?? ResampleFilter.Bicubic;
        switch (step.Op)
        {
            case RandAugmentOp.AutoContrast:
                PilImageOps.AutoContrast(image);
                return image;
            case RandAugmentOp.Equalize:
                PilImageOps.Equalize(image);
                return image;
            case RandAugmentOp.Invert:
                PilImageOps.Invert(image);
                return image;
            case RandAugmentOp.Posterize or RandAugmentOp.PosterizeIncreasing:
                // timm returns the image untouched for 8 or more bits.
                if (argument < 8)
                    PilImageOps.Posterize(image, (int)argument);
                return image;
            case RandAugmentOp.Solarize or RandAugmentOp.SolarizeIncreasing:
                PilImageOps.Solarize(image, (int)argument);
                return image;
            case RandAugmentOp.SolarizeAdd:
                PilImageOps.SolarizeAdd(image, (int)argument);
                return image;
            case RandAugmentOp.Color or RandAugmentOp.ColorIncreasing:
                PilEnhance.Color(image, argument);
                return image;
            case RandAugmentOp.Contrast or RandAugmentOp.ContrastIncreasing:
                PilEnhance.Contrast(image, argument);
                return image;
            case RandAugmentOp.Brightness or RandAugmentOp.BrightnessIncreasing:
                PilEnhance.Brightness(image, argument);
                return image;
            case RandAugmentOp.Sharpness or RandAugmentOp.SharpnessIncreasing:
                PilEnhance.Sharpness(image, argument);
                return image;
            case RandAugmentOp.Rotate:
                return PilAffine.Rotate(image, argument, filter, Fill(image));
            case RandAugmentOp.ShearX:
                return PilAffine.Transform(image, [1, argument, 0, 0, 1, 0], filter, Fill(image));
            case RandAugmentOp.ShearY:
                return PilAffine.Transform(image, [1, 0, 0, argument, 1, 0], filter, Fill(image));
            case RandAugmentOp.TranslateXRel:
                return PilAffine.Transform(image, [1, 0, argument * image.Width, 0, 1, 0], filter, Fill(image));
            case RandAugmentOp.TranslateYRel:
                return PilAffine.Transform(image, [1, 0, 0, 0, 1, argument * image.Height], filter, Fill(image));
            default:
                throw new ArgumentOutOfRangeException(nameof(step), step.Op, "Not a RandAugment op.");
        }
    }

    private static bool IsGeometric(RandAugmentOp op) => op is RandAugmentOp.Rotate or RandAugmentOp.ShearX
        or RandAugmentOp.ShearY or RandAugmentOp.TranslateXRel or RandAugmentOp.TranslateYRel;

    private static double RandomlyNegate(double value, SampleRandom rng) => rng.NextDouble() > 0.5 ? -value : value;

    private byte[] Fill(RgbImage image) => image.Channels == 1 ? [Parameters.Fill[0]] : [.. Parameters.Fill.Take(3)];
}
