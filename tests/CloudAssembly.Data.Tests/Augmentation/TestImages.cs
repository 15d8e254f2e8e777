using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Tests.Augmentation;

/// <summary>
/// Small deterministic images. The expected values in these tests came from Pillow 9.4 / torchvision 0.14 run on
/// the same <see cref="Pattern"/>: <c>(x·37 + y·91 + c·53 + x·y·7) mod 256</c>, channel 0 for grey.
/// </summary>
internal static class TestImages
{
    public static RgbImage Pattern(int width, int height, int channels)
    {
        var image = new RgbImage(width, height, channels);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                for (var c = 0; c < channels; c++)
                    image[x, y, c] = (byte)((x * 37 + y * 91 + c * 53 + x * y * 7) % 256);
            }
        }
        return image;
    }

    /// <summary>Uniform random bytes, reproducible from the seed.</summary>
    public static RgbImage Noise(int width, int height, int channels, ulong seed)
    {
        var rng = new SampleRandom(seed);
        var image = new RgbImage(width, height, channels);
        for (var i = 0; i < image.Pixels.Length; i++)
            image.Pixels[i] = (byte)rng.NextInt(0, 256);
        return image;
    }

    public static RgbImage Grey(int width, int height, params byte[] pixels) => new(width, height, 1, pixels);

    public static RgbImage Rgb(int width, int height, params byte[] pixels) => new(width, height, 3, pixels);
}
