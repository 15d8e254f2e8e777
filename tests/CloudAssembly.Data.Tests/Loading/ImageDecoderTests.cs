using CloudAssembly.Data.Images;
using CloudAssembly.Data.Tests.Shards;
using SkiaSharp;

namespace CloudAssembly.Data.Tests.Loading;

public class ImageDecoderTests
{
    [Theory]
    [InlineData(37, 23)]
    [InlineData(64, 48)]
    [InlineData(5, 3)]
    public void Decoding_to_RGB_keeps_exactly_Skias_colour_bytes_whatever_the_width(int width, int height)
    {
        var jpeg = TestSources.Encode(SKEncodedImageFormat.Jpeg, width, height, 77);
        using var reference = SKBitmap.Decode(jpeg, new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var image = ImageDecoder.Decode(jpeg, 3, "test.jpg");
        Assert.Equal((width, height), (image.Width, image.Height));
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var expected = reference.GetPixel(x, y);
                Assert.Equal((expected.Red, expected.Green, expected.Blue), (image[x, y, 0], image[x, y, 1], image[x, y, 2]));
            }
    }
}
