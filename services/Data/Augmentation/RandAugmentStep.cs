namespace CloudAssembly.Data.Augmentation;

/// <summary>
/// One op that RandAugment decided to apply: the clipped magnitude and the argument timm derives from it (degrees,
/// bits, threshold, amount added, enhance factor, shear factor, or translation as a fraction of the image side),
/// and for the geometric ops the resampling filter (bicubic when absent).
/// </summary>
public readonly record struct RandAugmentStep(RandAugmentOp Op, double Magnitude, double Argument, ResampleFilter? Filter);
