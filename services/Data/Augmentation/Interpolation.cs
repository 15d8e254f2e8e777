namespace CloudAssembly.Data.Augmentation;

/// <summary>
/// DeiT's <c>--train-interpolation</c>: a fixed filter, or <see cref="Random"/>, where timm draws bilinear or bicubic
/// anew for every crop and every geometric RandAugment op.
/// </summary>
public enum Interpolation
{
    Bilinear,
    Bicubic,
    Random,
}
