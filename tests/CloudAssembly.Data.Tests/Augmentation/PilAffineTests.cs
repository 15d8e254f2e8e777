using CloudAssembly.Data.Augmentation;
using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Tests.Augmentation;

public class PilAffineTests
{
    private static readonly byte[] Fill = [124, 116, 104];

    [Fact]
    public void Translating_by_whole_pixels_shifts_and_fills()
    {
        // Output (x, y) reads the source at (x + 2, y − 1): a shift left by 2 and down by 1.
        var source = TestImages.Pattern(6, 5, 3);
        var result = PilAffine.Transform(source, [1, 0, 2, 0, 1, -1], ResampleFilter.Bicubic, Fill);
        for (var y = 0; y < 5; y++)
        {
            for (var x = 0; x < 6; x++)
            {
                var inside = x + 2 < 6 && y - 1 >= 0;
                for (var c = 0; c < 3; c++)
                    Assert.Equal(inside ? source[x + 2, y - 1, c] : Fill[c], result[x, y, c]);
            }
        }
    }

    [Fact]
    public void Bicubic_rotation_matches_pillow()
    {
        byte[] pillow =
        [
            124, 116, 104, 124, 116, 104, 80, 168, 229, 138, 193, 255, 125, 208, 108, 129, 119, 143, 127, 176, 230, 124, 116, 104,
            18, 71, 125, 92, 168, 149, 211, 132, 68, 124, 11, 98, 7, 103, 137, 159, 143, 90, 164, 27, 125, 6, 95, 108,
            96, 151, 226, 178, 170, 163, 84, 125, 63, 94, 118, 204, 175, 179, 204, 119, 170, 88, 126, 146, 192, 165, 218, 22,
            186, 236, 39, 210, 31, 84, 53, 124, 222, 168, 255, 74, 253, 76, 82, 115, 141, 108, 222, 93, 86, 115, 71, 141,
            21, 79, 89, 41, 127, 150, 200, 152, 146, 139, 71, 126, 50, 131, 215, 142, 179, 122, 118, 139, 139, 157, 207, 163,
            124, 116, 104, 135, 209, 129, 141, 124, 49, 136, 127, 135, 197, 179, 0, 216, 0, 87, 124, 116, 104, 124, 116, 104,
        ];
        var result = PilAffine.Rotate(TestImages.Pattern(8, 6, 3), 17.5, ResampleFilter.Bicubic, Fill);
        Assert.Equal(pillow, result.Pixels);
    }

    [Fact]
    public void Bilinear_rotation_matches_pillow()
    {
        byte[] pillow =
        [
            124, 116, 104, 117, 160, 178, 119, 172, 197, 117, 164, 122, 110, 162, 215, 144, 197, 250, 124, 116, 104, 124, 116, 104,
            101, 154, 76, 197, 109, 72, 133, 102, 115, 152, 125, 82, 142, 47, 100, 86, 139, 157, 174, 180, 61, 192, 24, 77,
            59, 112, 156, 76, 129, 178, 96, 142, 195, 97, 150, 152, 109, 152, 205, 97, 150, 123, 89, 133, 179, 117, 130, 183,
            129, 182, 110, 192, 150, 58, 165, 122, 139, 182, 184, 72, 199, 86, 130, 136, 177, 82, 229, 31, 83, 82, 123, 176,
            39, 92, 111, 93, 117, 162, 119, 132, 100, 96, 137, 183, 145, 161, 119, 116, 133, 146, 133, 171, 134, 98, 151, 73,
            124, 116, 104, 124, 116, 104, 165, 194, 15, 227, 29, 82, 103, 146, 105, 206, 86, 111, 104, 110, 128, 124, 116, 104,
        ];
        var result = PilAffine.Rotate(TestImages.Pattern(8, 6, 3), -23, ResampleFilter.Bilinear, Fill);
        Assert.Equal(pillow, result.Pixels);
    }

    [Fact]
    public void Grey_rotation_matches_pillow()
    {
        byte[] pillow =
        [
            124, 132, 115, 135, 110, 158, 124, 124, 94, 233, 141, 172, 147, 49, 183, 208, 28, 74, 64, 68, 85, 69, 81, 121,
            135, 229, 196, 202, 223, 140, 232, 77, 15, 85, 104, 61, 145, 85, 139, 89, 124, 124, 192, 228, 110, 241, 98, 124,
        ];
        var result = PilAffine.Rotate(TestImages.Pattern(8, 6, 1), -23, ResampleFilter.Bicubic, [124]);
        Assert.Equal(pillow, result.Pixels);
    }

    [Fact]
    public void Bicubic_shear_matches_pillow()
    {
        byte[] pillow =
        [
            4, 57, 110, 45, 98, 151, 82, 135, 188, 119, 172, 229, 156, 213, 227, 197, 211, 17, 196, 1, 80, 0, 59, 112,
            104, 157, 235, 154, 232, 157, 223, 148, 12, 139, 3, 92, 0, 83, 136, 74, 127, 180, 123, 176, 229, 149, 202, 255,
            246, 89, 58, 90, 42, 113, 40, 111, 164, 109, 162, 253, 160, 251, 93, 249, 91, 43, 97, 48, 120, 124, 116, 104,
            68, 121, 174, 127, 180, 245, 185, 250, 49, 255, 54, 92, 59, 97, 151, 102, 156, 221, 163, 216, 28, 124, 116, 104,
            202, 191, 9, 203, 21, 108, 33, 120, 182, 132, 194, 183, 206, 195, 13, 209, 27, 114, 25, 112, 165, 124, 116, 104,
            17, 70, 187, 122, 206, 104, 225, 123, 11, 142, 30, 116, 49, 135, 219, 163, 216, 145, 200, 253, 17, 124, 116, 104,
        ];
        var result = PilAffine.Transform(TestImages.Pattern(8, 6, 3), [1, 0.27, 0, 0, 1, 0], ResampleFilter.Bicubic, Fill);
        Assert.Equal(pillow, result.Pixels);
    }

    [Fact]
    public void Bilinear_shear_matches_pillow()
    {
        byte[] pillow =
        [
            0, 53, 106, 37, 90, 143, 74, 127, 180, 124, 116, 104, 124, 116, 104, 124, 116, 104, 124, 116, 104, 124, 116, 104,
            81, 134, 187, 105, 158, 211, 126, 179, 104, 144, 120, 173, 134, 187, 240, 185, 238, 35, 222, 19, 72, 3, 56, 109,
            172, 225, 48, 203, 77, 130, 103, 156, 81, 179, 53, 106, 22, 75, 128, 68, 121, 148, 135, 112, 165, 73, 126, 179,
            33, 86, 113, 122, 98, 151, 80, 133, 186, 112, 165, 141, 141, 169, 222, 168, 221, 44, 192, 65, 118, 85, 138, 191,
            98, 151, 204, 143, 196, 70, 185, 110, 163, 147, 200, 74, 235, 57, 110, 64, 117, 144, 145, 122, 175, 97, 150, 75,
            189, 242, 65, 62, 115, 91, 162, 87, 140, 80, 133, 109, 123, 151, 204, 164, 217, 39, 202, 75, 128, 109, 162, 87,
        ];
        var result = PilAffine.Transform(TestImages.Pattern(8, 6, 3), [1, 0, 0, -0.2, 1, 0], ResampleFilter.Bilinear, Fill);
        Assert.Equal(pillow, result.Pixels);
    }

    [Fact]
    public void Fractional_translation_matches_pillow()
    {
        byte[] pillow =
        [
            124, 116, 104, 124, 116, 104, 0, 47, 100, 16, 69, 122, 57, 110, 163, 94, 147, 200, 131, 184, 255, 168, 255, 120,
            124, 116, 104, 124, 116, 104, 84, 137, 190, 111, 164, 253, 159, 249, 111, 240, 102, 28, 93, 19, 97, 10, 88, 141,
            124, 116, 104, 124, 116, 104, 174, 255, 24, 242, 104, 55, 107, 33, 111, 31, 109, 162, 107, 160, 250, 158, 248, 110,
            124, 116, 104, 124, 116, 104, 8, 61, 114, 43, 96, 149, 107, 160, 249, 165, 254, 117, 255, 122, 48, 127, 53, 131,
            124, 116, 104, 124, 116, 104, 98, 151, 241, 137, 227, 90, 245, 108, 34, 120, 46, 123, 58, 135, 225, 147, 237, 100,
            124, 116, 104, 124, 116, 104, 225, 255, 38, 78, 131, 81, 30, 83, 197, 126, 216, 79, 235, 98, 24, 117, 43, 120,
        ];
        var result = PilAffine.Transform(TestImages.Pattern(8, 6, 3), [1, 0, -0.3 * 8, 0, 1, 0], ResampleFilter.Bicubic, Fill);
        Assert.Equal(pillow, result.Pixels);
    }

    [Fact]
    public void Rotating_by_a_full_turn_returns_the_image()
    {
        var source = TestImages.Noise(7, 5, 3, seed: 5);
        Assert.Equal(source.Pixels, PilAffine.Rotate(source, 0, ResampleFilter.Bicubic, Fill).Pixels);
        Assert.Equal(source.Pixels, PilAffine.Rotate(source, -360, ResampleFilter.Bicubic, Fill).Pixels);
    }

    [Fact]
    public void Rgb_vector_path_equals_the_per_channel_path()
    {
        // Large enough for the AVX2 interior path; grey planes take the scalar path.
        var rgb = TestImages.Noise(64, 48, 3, seed: 9);
        var rotated = PilAffine.Rotate(rgb, 13.7, ResampleFilter.Bicubic, Fill);
        for (var c = 0; c < 3; c++)
        {
            var plane = new RgbImage(64, 48, 1, rgb.Pixels.Where((_, i) => i % 3 == c).ToArray());
            var expected = PilAffine.Rotate(plane, 13.7, ResampleFilter.Bicubic, [Fill[c]]).Pixels;
            Assert.Equal(expected, rotated.Pixels.Where((_, i) => i % 3 == c).ToArray());
        }
    }
}
