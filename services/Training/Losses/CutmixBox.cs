namespace CloudAssembly.Training.Losses;

/// <summary>The pasted region of a cutmix batch and the λ corrected to its area.</summary>
public readonly record struct CutmixBox(int Top, int Left, int Height, int Width, double Lambda)
{
    /// <summary>
    /// <c>rand_bbox</c> for a drawn centre (cy, cx): a box of side ⌊√(1−λ)·(H, W)⌋ centred there, clipped to the
    /// image, and λ corrected to 1 − box area / image area (<c>correct_lam</c>).
    /// </summary>
    public static CutmixBox Centred(int height, int width, double lambda, int cy, int cx)
    {
        var ratio = Math.Sqrt(1 - lambda);
        int cutH = (int)(height * ratio), cutW = (int)(width * ratio);
        return Corrected(height, width,
            Math.Clamp(cy - cutH / 2, 0, height), Math.Clamp(cy + cutH / 2, 0, height),
            Math.Clamp(cx - cutW / 2, 0, width), Math.Clamp(cx + cutW / 2, 0, width));
    }

    /// <summary>The box [top, bottom) × [left, right) with λ = 1 − its area / the image's.</summary>
    public static CutmixBox Corrected(int height, int width, int top, int bottom, int left, int right) =>
        new(top, left, bottom - top, right - left, 1.0 - (double)(bottom - top) * (right - left) / (height * width));
}
