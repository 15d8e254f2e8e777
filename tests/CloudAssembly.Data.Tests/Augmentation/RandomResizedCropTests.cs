using CloudAssembly.Data.Augmentation;

namespace CloudAssembly.Data.Tests.Augmentation;

public class RandomResizedCropTests
{
    private static readonly (double Min, double Max) Scale = (0.08, 1.0);
    private static readonly (double Min, double Max) Ratio = (3.0 / 4.0, 4.0 / 3.0);

    [Theory]
    [InlineData(500, 375)]
    [InlineData(375, 500)]
    [InlineData(640, 360)]
    [InlineData(224, 224)]
    public void Mean_area_matches_the_distribution_with_rejections(int width, int height)
    {
        const int draws = 20000;
        var sum = 0.0;
        for (var i = 0; i < draws; i++)
        {
            var box = RandomResizedCrop.SampleBox(width, height, Scale, Ratio, SampleRandom.For(11, width, i));
            sum += (double)box.Width * box.Height / (width * height);
        }
        // The area fraction has a standard deviation below 0.3, so 0.01 is more than five standard errors.
        Assert.InRange(sum / draws, ExpectedAreaFraction(width, height) - 0.01, ExpectedAreaFraction(width, height) + 0.01);
    }

    [Fact]
    public void Boxes_lie_inside_the_image_with_the_ratio_in_range_and_uniform_placement()
    {
        var placement = 0.0;
        var placed = 0;
        for (var i = 0; i < 20000; i++)
        {
            var box = RandomResizedCrop.SampleBox(500, 375, Scale, Ratio, SampleRandom.For(12, i));
            Assert.True(box.Left >= 0 && box.Top >= 0 && box.Right <= 500 && box.Bottom <= 375, $"{box} leaves the image.");
            Assert.True(box.Width >= 1 && box.Height >= 1);
            // Sides of 30+ pixels are rounded by at most half a pixel each, which moves the ratio by a few percent.
            Assert.InRange((double)box.Width / box.Height, 0.70, 1.43);
            if (box.Width < 500)
            {
                placement += (double)box.Left / (500 - box.Width);
                placed++;
            }
        }
        Assert.InRange(placement / placed, 0.48, 0.52);
    }

    [Fact]
    public void Extreme_images_fall_back_to_the_centred_box_with_a_clamped_ratio()
    {
        // Every try needs a height of at least sqrt(0.08 · 10000 · 3/4) ≈ 24.5 > 10, so all ten fail.
        for (var i = 0; i < 100; i++)
            Assert.Equal(new CropBox(493, 0, 13, 10), RandomResizedCrop.SampleBox(1000, 10, Scale, Ratio, SampleRandom.For(13, i)));
        // Tall: width stays, height = round(10 / (3/4)) = 13.
        Assert.Equal(new CropBox(0, 493, 10, 13), RandomResizedCrop.SampleBox(10, 1000, Scale, Ratio, SampleRandom.For(14)));
    }

    [Fact]
    public void Crop_resizes_to_the_requested_square()
    {
        var crop = new RandomResizedCrop(64, Scale, Ratio, Interpolation.Bicubic);
        var result = crop.Apply(TestImages.Noise(120, 90, 3, seed: 4), SampleRandom.For(15));
        Assert.Equal((64, 64, 3), (result.Width, result.Height, result.Channels));
    }

    /// <summary>
    /// One try accepts with probability p and then has mean area m; ten tries fail with probability (1 − p)^10 and
    /// then give the fallback. p and m come from a midpoint rule over the two uniform draws with the exact rounding.
    /// </summary>
    private static double ExpectedAreaFraction(int width, int height)
    {
        const int steps = 600;
        double area = width * height;
        double accepted = 0, acceptedArea = 0;
        for (var i = 0; i < steps; i++)
        {
            var scale = Scale.Min + (Scale.Max - Scale.Min) * (i + 0.5) / steps;
            for (var j = 0; j < steps; j++)
            {
                var ratio = Math.Exp(Math.Log(Ratio.Min) + (Math.Log(Ratio.Max) - Math.Log(Ratio.Min)) * (j + 0.5) / steps);
                var w = Math.Round(Math.Sqrt(scale * area * ratio));
                var h = Math.Round(Math.Sqrt(scale * area / ratio));
                if (w < 1 || h < 1 || w > width || h > height)
                    continue;
                accepted++;
                acceptedArea += w * h / area;
            }
        }
        var p = accepted / (steps * steps);
        // A scale of twice the image can never fit, so this is the fallback box.
        var fallback = RandomResizedCrop.SampleBox(width, height, (2, 2), Ratio, SampleRandom.For(0));
        var allFail = Math.Pow(1 - p, 10);
        return (1 - allFail) * (acceptedArea / accepted) + allFail * fallback.Width * fallback.Height / area;
    }
}
