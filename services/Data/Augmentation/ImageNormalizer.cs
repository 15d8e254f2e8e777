using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Augmentation;

/// <summary>
/// torchvision's <c>ToTensor</c> then <c>Normalize(mean, std)</c>: bytes to CHW floats (v / 255 − mean) / std, in
/// single precision as torch computes them, written straight into a slice of a batch buffer.
/// </summary>
public sealed class ImageNormalizer
{
    public static IReadOnlyList<double> ImageNetMean { get; } = [0.485, 0.456, 0.406];

    public static IReadOnlyList<double> ImageNetStd { get; } = [0.229, 0.224, 0.225];

    /// <summary>One table of 256 results per channel: the arithmetic is done once, not per pixel.</summary>
    private readonly float[] table;

    public ImageNormalizer(IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        if (mean.Count is not (1 or 3) || std.Count != mean.Count)
            throw new ArgumentException($"Normalisation needs one mean and one std per channel (1 or 3), got {mean.Count} and {std.Count}.", nameof(mean));
        Channels = mean.Count;
        table = new float[Channels * 256];
        for (var c = 0; c < Channels; c++)
        {
            var m = (float)mean[c];
            var s = (float)std[c];
            for (var v = 0; v < 256; v++)
                table[c * 256 + v] = (v / 255f - m) / s;
        }
    }

    public int Channels { get; }

    public void Write(RgbImage image, Span<float> destination) =>
        Write(image, new CropBox(0, 0, image.Width, image.Height), destination);

    /// <summary>Writes the <paramref name="box"/> of the image, which is how a centre crop costs no copy.</summary>
    public void Write(RgbImage image, CropBox box, Span<float> destination)
    {
        if (image.Channels != Channels)
            throw new ArgumentException($"The normaliser is set up for {Channels} channels but the image has {image.Channels}.", nameof(image));
        if (box.Left < 0 || box.Top < 0 || box.Right > image.Width || box.Bottom > image.Height)
            throw new ArgumentOutOfRangeException(nameof(box), $"{box} is not inside the {image.Width}x{image.Height} image.");
        var plane = box.Width * box.Height;
        if (destination.Length != Channels * plane)
            throw new ArgumentException($"The destination holds {destination.Length} values, the sample needs {Channels}x{box.Height}x{box.Width}.", nameof(destination));
        var pixels = image.Pixels;
        for (var c = 0; c < Channels; c++)
        {
            var lut = table.AsSpan(c * 256, 256);
            var output = destination.Slice(c * plane, plane);
            var o = 0;
            for (var y = box.Top; y < box.Bottom; y++)
            {
                var i = (y * image.Width + box.Left) * Channels + c;
                for (var x = 0; x < box.Width; x++, i += Channels)
                    output[o++] = lut[pixels[i]];
            }
        }
    }
}
