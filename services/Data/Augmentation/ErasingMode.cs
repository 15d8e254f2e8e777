namespace CloudAssembly.Data.Augmentation;

/// <summary>timm's <c>RandomErasing</c> modes: zeros, one normal value per channel, or one per element.</summary>
public enum ErasingMode
{
    Const,
    Rand,
    Pixel,
}
