namespace CloudAssembly.Data.Augmentation;

public static class InterpolationExtensions
{
    /// <summary>The filter for one use; <see cref="Interpolation.Random"/> costs one draw, the others none.</summary>
    public static ResampleFilter Pick(this Interpolation interpolation, SampleRandom rng) => interpolation switch
    {
        Interpolation.Bilinear => ResampleFilter.Bilinear,
        Interpolation.Bicubic => ResampleFilter.Bicubic,
        _ => rng.NextInt(0, 2) == 0 ? ResampleFilter.Bilinear : ResampleFilter.Bicubic,
    };
}
