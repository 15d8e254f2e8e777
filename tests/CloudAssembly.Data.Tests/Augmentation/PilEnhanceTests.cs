using CloudAssembly.Data.Augmentation;
using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Tests.Augmentation;

public class PilEnhanceTests
{
    [Fact]
    public void Brightness_scales_and_truncates()
    {
        var darker = TestImages.Grey(4, 1, 0, 1, 3, 255);
        PilEnhance.Brightness(darker, 0.5);
        Assert.Equal([0, 0, 1, 127], darker.Pixels);

        var brighter = TestImages.Grey(4, 1, 0, 1, 3, 255);
        PilEnhance.Brightness(brighter, 1.5);
        Assert.Equal([0, 1, 4, 255], brighter.Pixels);
    }

    [Fact]
    public void Contrast_blends_with_the_rounded_grey_mean()
    {
        // Mean (0 + 100 + 200 + 40) / 4 = 85; factor 2 gives 85 + 2·(v − 85), clipped.
        var image = TestImages.Grey(4, 1, 0, 100, 200, 40);
        PilEnhance.Contrast(image, 2);
        Assert.Equal([0, 115, 255, 0], image.Pixels);

        var flat = TestImages.Grey(4, 1, 0, 100, 200, 40);
        PilEnhance.Contrast(flat, 0);
        Assert.All(flat.Pixels, v => Assert.Equal(85, v));
    }

    [Fact]
    public void Color_blends_with_the_pixel_luma()
    {
        // Luma of (200, 100, 50) in Pillow's fixed point: (200·19595 + 100·38470 + 50·7471 + 32768) >> 16 = 124.
        var grey = TestImages.Rgb(1, 1, 200, 100, 50);
        PilEnhance.Color(grey, 0);
        Assert.Equal([124, 124, 124], grey.Pixels);

        var half = TestImages.Rgb(1, 1, 200, 100, 50);
        PilEnhance.Color(half, 0.5);
        Assert.Equal([162, 112, 87], half.Pixels);
    }

    [Fact]
    public void Color_leaves_grey_images_alone()
    {
        var image = TestImages.Grey(3, 1, 5, 100, 250);
        PilEnhance.Color(image, 1.9);
        Assert.Equal([5, 100, 250], image.Pixels);
    }

    [Fact]
    public void Color_and_contrast_match_pillow_on_an_rgb_pattern()
    {
        byte[] color =
        [
            27, 46, 66, 64, 83, 103, 101, 120, 140, 138, 157, 177, 118, 137, 157, 162, 181, 201, 187, 207, 132, 137, 62, 81,
            190, 210, 135, 147, 72, 91, 55, 74, 94, 106, 125, 145,
        ];
        byte[] contrast =
        [
            0, 11, 95, 0, 70, 155, 44, 129, 214, 103, 188, 255, 71, 156, 241, 142, 227, 255, 212, 255, 0, 255, 0, 43,
            217, 255, 0, 255, 0, 59, 0, 55, 140, 52, 137, 222,
        ];
        var image = TestImages.Pattern(4, 3, 3);
        PilEnhance.Color(image, 0.37);
        Assert.Equal(color, image.Pixels);
        image = TestImages.Pattern(4, 3, 3);
        PilEnhance.Contrast(image, 1.6);
        Assert.Equal(contrast, image.Pixels);
    }

    [Fact]
    public void Sharpness_matches_pillow_and_keeps_the_border()
    {
        byte[] sharper =
        [
            0, 53, 106, 37, 90, 143, 74, 127, 180, 111, 164, 217, 148, 201, 254, 185, 238, 35, 91, 144, 197, 151, 219, 255,
            210, 255, 0, 255, 0, 25, 0, 16, 100, 55, 108, 161, 182, 235, 32, 255, 0, 51, 0, 49, 134, 47, 132, 216,
            130, 214, 255, 181, 234, 31, 17, 70, 123, 43, 128, 212, 133, 217, 255, 222, 255, 0, 255, 0, 82, 51, 104, 157,
            108, 161, 214, 173, 226, 23, 238, 35, 88, 47, 100, 153, 112, 165, 218, 177, 230, 27,
        ];
        byte[] softer =
        [
            0, 53, 106, 37, 90, 143, 74, 127, 180, 111, 164, 217, 148, 201, 254, 185, 238, 35, 91, 144, 197, 117, 152, 169,
            143, 160, 100, 151, 91, 126, 82, 117, 135, 55, 108, 161, 182, 235, 32, 161, 101, 118, 99, 116, 134, 114, 132, 149,
            130, 147, 164, 181, 234, 31, 17, 70, 123, 110, 128, 145, 133, 150, 167, 155, 172, 112, 177, 117, 117, 51, 104, 157,
            108, 161, 214, 173, 226, 23, 238, 35, 88, 47, 100, 153, 112, 165, 218, 177, 230, 27,
        ];
        var image = TestImages.Pattern(6, 5, 3);
        PilEnhance.Sharpness(image, 1.81);
        Assert.Equal(sharper, image.Pixels);
        image = TestImages.Pattern(6, 5, 3);
        PilEnhance.Sharpness(image, 0.1);
        Assert.Equal(softer, image.Pixels);

        var original = TestImages.Pattern(6, 5, 3);
        for (var x = 0; x < 6; x++)
        {
            Assert.Equal(original[x, 0, 1], image[x, 0, 1]);
            Assert.Equal(original[x, 4, 1], image[x, 4, 1]);
        }
    }

    [Fact]
    public void Sharpness_vector_path_equals_the_per_channel_path()
    {
        var rgb = TestImages.Noise(40, 12, 3, seed: 2);
        var sharpened = rgb.Clone();
        PilEnhance.Sharpness(sharpened, 1.7);
        for (var c = 0; c < 3; c++)
        {
            var plane = new RgbImage(40, 12, 1, rgb.Pixels.Where((_, i) => i % 3 == c).ToArray());
            PilEnhance.Sharpness(plane, 1.7);
            var channel = sharpened.Pixels.Where((_, i) => i % 3 == c).ToArray();
            // A grey plane's neighbours are one byte apart, RGB's three, but the arithmetic is the same.
            Assert.Equal(plane.Pixels, channel);
        }
    }
}
