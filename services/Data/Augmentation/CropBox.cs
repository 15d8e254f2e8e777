namespace CloudAssembly.Data.Augmentation;

/// <summary>A rectangle of an image in pixels; torchvision's (i, j, h, w) is (Top, Left, Height, Width).</summary>
public readonly record struct CropBox(int Left, int Top, int Width, int Height)
{
    public int Right => Left + Width;

    public int Bottom => Top + Height;
}
