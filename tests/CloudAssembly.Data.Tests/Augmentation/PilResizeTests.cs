using CloudAssembly.Data.Augmentation;
using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Tests.Augmentation;

public class PilResizeTests
{
    [Fact]
    public void Bicubic_downscale_matches_pillow()
    {
        byte[] pillow =
        [
            99, 130, 143, 122, 130, 148, 129, 135, 132, 103, 128, 138, 124, 135, 125, 142, 138, 135, 145, 135, 125, 134, 123, 123,
            108, 157, 127, 121, 135, 107, 151, 133, 121, 119, 148, 113,
        ];
        var result = PilResize.Resize(TestImages.Pattern(9, 7, 3), 4, 3, ResampleFilter.Bicubic);
        Assert.Equal(pillow, result.Pixels);
    }

    [Fact]
    public void Bicubic_upscale_matches_pillow()
    {
        byte[] pillow =
        [
            0, 43, 96, 6, 59, 111, 33, 86, 140, 57, 108, 177, 78, 138, 205, 103, 174, 227, 139, 199, 255, 169, 228, 212,
            191, 254, 38, 218, 110, 35, 234, 0, 65, 30, 80, 147, 45, 104, 170, 75, 141, 186, 109, 174, 130, 143, 152, 121,
            162, 102, 155, 112, 122, 187, 91, 155, 172, 124, 182, 96, 153, 122, 109, 170, 71, 134, 94, 148, 190, 114, 162, 222,
            145, 189, 227, 166, 235, 74, 202, 161, 26, 221, 20, 73, 79, 38, 102, 6, 77, 129, 51, 105, 156, 85, 136, 188,
            104, 154, 207, 169, 236, 70, 201, 158, 95, 214, 66, 122, 98, 104, 96, 71, 109, 111, 114, 88, 160, 91, 128, 207,
            96, 176, 178, 146, 208, 68, 184, 121, 82, 204, 47, 114, 137, 204, 37, 171, 127, 63, 187, 39, 110, 73, 80, 163,
            48, 133, 170, 104, 176, 150, 156, 158, 195, 174, 165, 174, 150, 206, 67, 181, 123, 84, 208, 50, 117, 17, 70, 112,
            42, 90, 141, 83, 126, 188, 112, 168, 243, 148, 218, 176, 191, 244, 43, 247, 111, 69, 207, 45, 116, 61, 100, 151,
            75, 141, 192, 114, 164, 217, 59, 111, 189, 86, 153, 141, 133, 189, 90, 193, 119, 140, 174, 116, 138, 109, 162, 102,
            152, 126, 147, 164, 124, 149, 121, 173, 87, 154, 131, 117, 188, 89, 152, 109, 162, 235, 139, 206, 130, 187, 223, 7,
            248, 69, 50, 179, 27, 107, 37, 90, 161, 66, 143, 224, 124, 201, 181, 179, 244, 28, 228, 121, 45, 255, 16, 88,
        ];
        var result = PilResize.Resize(TestImages.Pattern(7, 5, 3), 11, 8, ResampleFilter.Bicubic);
        Assert.Equal(pillow, result.Pixels);
    }

    [Fact]
    public void Bilinear_downscale_matches_pillow()
    {
        byte[] pillow =
        [
            70, 118, 157, 125, 141, 139, 114, 141, 160, 137, 117, 124, 92, 135, 133, 138, 133, 116, 119, 131, 136, 135, 138, 143,
            140, 126, 124, 121, 129, 125, 112, 155, 126, 145, 131, 121, 145, 133, 126, 147, 134, 122, 123, 131, 131, 96, 148, 132,
            113, 160, 109, 128, 123, 116, 158, 137, 124, 111, 154, 93,
        ];
        var result = PilResize.Resize(TestImages.Pattern(9, 7, 3), 5, 4, ResampleFilter.Bilinear);
        Assert.Equal(pillow, result.Pixels);
    }

    [Fact]
    public void Grey_image_resizes_like_pillow()
    {
        byte[] pillow =
        [
            53, 125, 141, 88, 161, 113, 124, 118, 95, 157, 144, 151, 133, 136, 150, 107, 93, 106, 154, 128,
        ];
        var result = PilResize.Resize(TestImages.Pattern(9, 7, 1), 4, 5, ResampleFilter.Bicubic);
        Assert.Equal(pillow, result.Pixels);
    }

    [Fact]
    public void Resizing_a_box_matches_pillow_crop_then_resize()
    {
        byte[] pillow =
        [
            141, 119, 88, 85, 110, 140, 126, 127, 158, 124, 180, 149, 121, 162, 157, 166, 142, 130, 136, 132, 120, 143, 105, 100,
            148, 110, 120, 139, 135, 122, 155, 134, 121, 99, 136, 146, 114, 169, 90, 123, 123, 115, 168, 135, 127, 110, 160, 81,
        ];
        var result = PilResize.ResizeCrop(TestImages.Pattern(12, 10, 3), new CropBox(2, 1, 7, 6), 4, 4, ResampleFilter.Bicubic);
        Assert.Equal(pillow, result.Pixels);
    }

    [Fact]
    public void Same_size_is_a_copy_of_the_box()
    {
        var source = TestImages.Noise(10, 8, 3, seed: 3);
        var result = PilResize.ResizeCrop(source, new CropBox(3, 2, 5, 4), 5, 4, ResampleFilter.Bicubic);
        Assert.Equal(ImageCrop.Crop(source, new CropBox(3, 2, 5, 4)).Pixels, result.Pixels);
    }

    [Theory]
    [InlineData(500, 375, 224, 224)]
    [InlineData(375, 500, 224, 224)]
    [InlineData(97, 61, 224, 180)]
    [InlineData(300, 300, 224, 300)]
    public void Rgb_channels_resize_exactly_like_separate_grey_planes(int width, int height, int outWidth, int outHeight)
    {
        // RGB runs through the vector passes, grey through the scalar ones: both are Pillow's integer sums.
        var rgb = TestImages.Noise(width, height, 3, seed: 11);
        var resized = PilResize.Resize(rgb, outWidth, outHeight, ResampleFilter.Bicubic);
        for (var c = 0; c < 3; c++)
        {
            var plane = new RgbImage(width, height, 1, rgb.Pixels.Where((_, i) => i % 3 == c).ToArray());
            var expected = PilResize.Resize(plane, outWidth, outHeight, ResampleFilter.Bicubic).Pixels;
            Assert.Equal(expected, resized.Pixels.Where((_, i) => i % 3 == c).ToArray());
        }
    }

    [Fact]
    public void A_box_outside_the_image_is_refused()
    {
        var source = TestImages.Pattern(10, 10, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => PilResize.ResizeCrop(source, new CropBox(6, 0, 5, 5), 4, 4, ResampleFilter.Bicubic));
    }
}
