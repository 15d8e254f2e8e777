namespace CloudAssembly.Data.Augmentation;

/// <summary>The PIL resampling filters the DeiT recipe can reach (timm maps every other name to bilinear).</summary>
public enum ResampleFilter
{
    Bilinear,
    Bicubic,
}
