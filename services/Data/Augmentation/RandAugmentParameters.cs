namespace CloudAssembly.Data.Augmentation;

/// <summary>
/// timm's <c>hparams</c> as <c>transforms_imagenet_train</c> sets them: the fill is the dataset mean in bytes
/// (grey images use the first value), translations reach 45% of the side, and the geometric ops use the training
/// interpolation.
/// </summary>
public sealed record RandAugmentParameters
{
    public static RandAugmentParameters ImageNet { get; } = new();

    public IReadOnlyList<byte> Fill { get; init; } = [124, 116, 104];

    public double TranslatePercent { get; init; } = 0.45;

    public Interpolation Interpolation { get; init; } = Interpolation.Bicubic;

    /// <summary>The chance that each chosen op is applied; timm's <c>rand_augment_ops</c> fixes it at 0.5.</summary>
    public double Probability { get; init; } = 0.5;

    /// <summary>timm's <c>img_mean</c>: each mean times 255, rounded and capped at 255.</summary>
    public static IReadOnlyList<byte> FillFor(IReadOnlyList<double> mean) =>
        mean.Select(m => (byte)Math.Min(255, Math.Round(255 * m))).ToArray();
}
