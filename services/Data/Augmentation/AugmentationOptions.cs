namespace CloudAssembly.Data.Augmentation;

/// <summary>
/// The augmentation settings of DeiT's <c>build_transform</c>, defaulting to the official recipe: 224 pixels,
/// ImageNet statistics, bicubic, <c>rand-m9-mstd0.5-inc1</c>, random erasing 0.25 in pixel mode.
/// </summary>
public sealed record AugmentationOptions
{
    /// <summary>DeiT switches to RandomCrop(padding 4) for training and to no resize for evaluation at or below this.</summary>
    public const int SmallInputLimit = 32;

    public int InputSize { get; init; } = 224;

    /// <summary>One value per channel: three for RGB, one for grey images.</summary>
    public IReadOnlyList<double> Mean { get; init; } = ImageNormalizer.ImageNetMean;

    public IReadOnlyList<double> Std { get; init; } = ImageNormalizer.ImageNetStd;

    /// <summary>Training interpolation of the crop and of RandAugment's geometric ops (DeiT's <c>--train-interpolation</c>).</summary>
    public Interpolation Interpolation { get; init; } = Interpolation.Bicubic;

    /// <summary>A timm RandAugment spelling, or null, empty or "none" for no auto-augment.</summary>
    public string? AutoAugment { get; init; } = "rand-m9-mstd0.5-inc1";

    /// <summary>
    /// Colour jitter strength, used only without auto-augment, as in timm (DeiT's <c>--color-jitter</c> default is
    /// 0.4); 0 turns it off.
    /// </summary>
    public double ColorJitter { get; init; } = 0.4;

    public double HorizontalFlip { get; init; } = 0.5;

    /// <summary>Random erasing probability (DeiT's <c>--reprob</c>); 0 turns it off.</summary>
    public double ReProb { get; init; } = 0.25;

    public ErasingMode ReMode { get; init; } = ErasingMode.Pixel;

    public int ReCount { get; init; } = 1;

    /// <summary>Zero padding of DeiT's small-input RandomCrop (4, fixed in DeiT; 0 leaves only the flip).</summary>
    public int SmallInputPadding { get; init; } = 4;

    public (double Min, double Max) Scale { get; init; } = (0.08, 1.0);

    public (double Min, double Max) Ratio { get; init; } = (3.0 / 4.0, 4.0 / 3.0);

    public bool IsSmallInput => InputSize <= SmallInputLimit;

    /// <summary>The parsed RandAugment, or null when auto-augment is off.</summary>
    public RandAugmentConfig? RandAugment =>
        string.IsNullOrEmpty(AutoAugment) || AutoAugment.Equals("none", StringComparison.OrdinalIgnoreCase)
            ? null
            : RandAugmentConfig.Parse(AutoAugment);
}
