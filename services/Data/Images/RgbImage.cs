namespace CloudAssembly.Data.Images;

/// <summary>
/// A decoded 8-bit image, row-major and channel-interleaved (H, W, C) like a PIL image: C is 3 (RGB) or 1 (grey).
/// Augmentations work on these bytes; the last step writes normalised floats into a batch tensor.
/// </summary>
public sealed class RgbImage
{
    public RgbImage(int width, int height, int channels, byte[]? pixels = null)
    {
        if (width < 1 || height < 1)
            throw new ArgumentOutOfRangeException(nameof(width), $"An image needs a positive size, got {width}x{height}.");
        if (channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(channels), $"Images have 1 or 3 channels, got {channels}.");
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels ?? new byte[width * height * channels];
        if (Pixels.Length != width * height * channels)
            throw new ArgumentException($"{Pixels.Length} bytes do not make a {width}x{height}x{channels} image.", nameof(pixels));
    }

    public int Width { get; }

    public int Height { get; }

    public int Channels { get; }

    /// <summary>H·W·C bytes: pixel (x, y) channel c is at <c>(y * Width + x) * Channels + c</c>.</summary>
    public byte[] Pixels { get; }

    public int Stride => Width * Channels;

    public byte this[int x, int y, int c]
    {
        get => Pixels[(y * Width + x) * Channels + c];
        set => Pixels[(y * Width + x) * Channels + c] = value;
    }

    public RgbImage Clone() => new(Width, Height, Channels, (byte[])Pixels.Clone());
}
