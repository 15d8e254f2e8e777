namespace CloudAssembly.Data.Augmentation;

/// <summary>
/// timm's RandAugment op names. The <c>Increasing</c> variants map the magnitude so that a larger magnitude is always
/// a stronger change (fewer posterize bits, a lower solarize threshold, an enhance factor further from 1).
/// </summary>
public enum RandAugmentOp
{
    AutoContrast,
    Equalize,
    Invert,
    Rotate,
    Posterize,
    PosterizeIncreasing,
    Solarize,
    SolarizeIncreasing,
    SolarizeAdd,
    Color,
    ColorIncreasing,
    Contrast,
    ContrastIncreasing,
    Brightness,
    BrightnessIncreasing,
    Sharpness,
    SharpnessIncreasing,
    ShearX,
    ShearY,
    TranslateXRel,
    TranslateYRel,
}
