using CloudAssembly.Data.Augmentation;

namespace CloudAssembly.Data.Tests.Augmentation;

public class PilImageOpsTests
{
    [Fact]
    public void Invert_maps_v_to_255_minus_v()
    {
        var image = TestImages.Grey(4, 1, 0, 1, 128, 255);
        PilImageOps.Invert(image);
        Assert.Equal([255, 254, 127, 0], image.Pixels);
    }

    [Fact]
    public void Posterize_keeps_the_top_bits()
    {
        var image = TestImages.Grey(5, 1, 0, 63, 64, 200, 255);
        PilImageOps.Posterize(image, 2);
        Assert.Equal([0, 0, 64, 192, 192], image.Pixels);
    }

    [Fact]
    public void Posterize_to_zero_bits_is_black_and_to_eight_is_unchanged()
    {
        var black = TestImages.Rgb(2, 1, 10, 200, 255, 1, 128, 77);
        PilImageOps.Posterize(black, 0);
        Assert.All(black.Pixels, v => Assert.Equal(0, v));
        var same = TestImages.Rgb(2, 1, 10, 200, 255, 1, 128, 77);
        PilImageOps.Posterize(same, 8);
        Assert.Equal([10, 200, 255, 1, 128, 77], same.Pixels);
    }

    [Fact]
    public void Solarize_inverts_values_at_or_above_the_threshold()
    {
        var image = TestImages.Grey(4, 1, 0, 127, 128, 255);
        PilImageOps.Solarize(image, 128);
        Assert.Equal([0, 127, 127, 0], image.Pixels);

        var untouched = TestImages.Grey(2, 1, 0, 255);
        PilImageOps.Solarize(untouched, 256);
        Assert.Equal([0, 255], untouched.Pixels);
    }

    [Fact]
    public void Solarize_add_raises_values_below_128_and_saturates()
    {
        var image = TestImages.Grey(5, 1, 0, 100, 127, 128, 255);
        PilImageOps.SolarizeAdd(image, 110);
        Assert.Equal([110, 210, 237, 128, 255], image.Pixels);

        var saturated = TestImages.Grey(1, 1, 60);
        PilImageOps.SolarizeAdd(saturated, 200);
        Assert.Equal([255], saturated.Pixels);
    }

    [Fact]
    public void Autocontrast_stretches_each_channel_and_truncates()
    {
        // R spans 50..150: scale 2.55, offset −127.5, so 100 → int(127.5) = 127. G is flat and stays.
        // B spans 0..20: scale 12.75, so 10 → int(127.5) = 127.
        var image = TestImages.Rgb(3, 1, 50, 7, 0, 100, 7, 10, 150, 7, 20);
        PilImageOps.AutoContrast(image);
        Assert.Equal([0, 7, 0, 127, 7, 127, 255, 7, 255], image.Pixels);
    }

    [Fact]
    public void Equalize_spreads_the_cumulative_histogram()
    {
        // 256 pixels: 128 × 10, 64 × 20, 63 × 30, 1 × 40. step = (256 − 1) // 255 = 1, so each value maps to the
        // count of pixels below it: 10 → 0, 20 → 128, 30 → 192, 40 → 255.
        var pixels = Enumerable.Repeat((byte)10, 128).Concat(Enumerable.Repeat((byte)20, 64))
            .Concat(Enumerable.Repeat((byte)30, 63)).Append((byte)40).ToArray();
        var image = TestImages.Grey(16, 16, pixels);
        PilImageOps.Equalize(image);
        Assert.Equal(Enumerable.Repeat((byte)0, 128).Concat(Enumerable.Repeat((byte)128, 64))
            .Concat(Enumerable.Repeat((byte)192, 63)).Append((byte)255), image.Pixels);
    }

    [Fact]
    public void Equalize_leaves_images_with_too_few_pixels_for_a_step()
    {
        var image = TestImages.Grey(4, 2, 10, 10, 10, 10, 20, 20, 30, 40);
        PilImageOps.Equalize(image);
        Assert.Equal([10, 10, 10, 10, 20, 20, 30, 40], image.Pixels);
    }

    [Fact]
    public void Equalize_matches_pillow_on_an_rgb_pattern()
    {
        byte[] pillow =
        [
            0, 53, 106, 37, 90, 143, 74, 127, 180, 111, 164, 217, 148, 201, 254, 185, 238, 35, 91, 144, 197, 135, 188, 241,
            179, 232, 29, 223, 20, 73, 11, 64, 117, 55, 108, 161, 182, 235, 32, 233, 30, 83, 28, 81, 134, 79, 132, 185,
            130, 183, 236, 181, 234, 31, 17, 70, 123, 75, 128, 181, 133, 186, 239, 191, 244, 41, 249, 46, 99, 51, 104, 157,
            108, 161, 214, 173, 226, 23, 238, 35, 88, 47, 100, 153, 112, 165, 218, 177, 230, 27,
        ];
        var image = TestImages.Pattern(6, 5, 3);
        PilImageOps.Equalize(image);
        Assert.Equal(pillow, image.Pixels);
    }

    [Fact]
    public void Autocontrast_matches_pillow_on_an_rgb_pattern()
    {
        byte[] pillow =
        [
            0, 37, 91, 37, 79, 132, 75, 121, 173, 113, 163, 214, 151, 206, 255, 189, 248, 13, 93, 141, 192, 138, 191, 240,
            183, 241, 6, 228, 0, 55, 11, 50, 103, 56, 100, 152, 186, 244, 9, 238, 11, 66, 28, 69, 122, 80, 127, 178,
            133, 185, 235, 185, 243, 8, 17, 56, 110, 76, 122, 174, 136, 188, 238, 195, 255, 19, 255, 29, 83, 52, 95, 147,
            110, 160, 210, 177, 234, 0, 243, 17, 71, 48, 91, 143, 114, 165, 215, 181, 239, 4,
        ];
        var image = TestImages.Pattern(6, 5, 3);
        PilImageOps.AutoContrast(image);
        Assert.Equal(pillow, image.Pixels);
    }
}
