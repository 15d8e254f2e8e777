using CloudAssembly.Data.Augmentation;

namespace CloudAssembly.Data.Tests.Augmentation;

public class RandomErasingTests
{
    private const int Channels = 3, Height = 40, Width = 50;

    [Fact]
    public void Erases_one_rectangle_inside_the_image_with_timm_area_and_aspect()
    {
        var erasing = new RandomErasing(1.0);
        var erased = new List<float>();
        var changedOutside = 0;
        for (var i = 0; i < 300; i++)
        {
            var sample = Enumerable.Repeat(7f, Channels * Height * Width).ToArray();
            var boxes = erasing.Apply(sample, Channels, Height, Width, SampleRandom.For(1, i));
            var box = Assert.Single(boxes);
            Assert.True(box.Left >= 0 && box.Top >= 0 && box.Right <= Width && box.Bottom <= Height, $"{box} leaves the sample.");
            Assert.True(box.Width < Width && box.Height < Height, $"{box} is not strictly smaller than the sample.");
            // Area in [0.02, 1/3] and aspect h/w in [0.3, 3.33], up to rounding each side by half a pixel.
            var area = (double)box.Width * box.Height / (Width * Height);
            Assert.InRange(area, 0.012, 0.36);
            for (var c = 0; c < Channels; c++)
            {
                for (var y = 0; y < Height; y++)
                {
                    for (var x = 0; x < Width; x++)
                    {
                        var value = sample[(c * Height + y) * Width + x];
                        var inside = x >= box.Left && x < box.Right && y >= box.Top && y < box.Bottom;
                        if (inside)
                            erased.Add(value);
                        else if (value != 7f)
                            changedOutside++;
                    }
                }
            }
        }
        Assert.Equal(0, changedOutside);
        Assert.InRange(erased.Average(), -0.01, 0.01);
        Assert.InRange(Math.Sqrt(erased.Average(v => v * v)), 0.99, 1.01);
    }

    [Fact]
    public void A_quarter_of_samples_are_erased_at_the_deit_probability()
    {
        var erasing = new RandomErasing(0.25);
        var sample = new float[Channels * Height * Width];
        var erased = Enumerable.Range(0, 8000).Count(i => erasing.Apply(sample, Channels, Height, Width, SampleRandom.For(2, i)).Count > 0);
        Assert.InRange(erased / 8000.0, 0.23, 0.27);
    }

    [Fact]
    public void Zero_probability_changes_nothing_and_draws_nothing()
    {
        var sample = Enumerable.Repeat(3f, Channels * Height * Width).ToArray();
        var rng = SampleRandom.For(3);
        Assert.Empty(new RandomErasing(0).Apply(sample, Channels, Height, Width, rng));
        Assert.All(sample, v => Assert.Equal(3f, v));
        Assert.Equal(SampleRandom.For(3).NextUInt64(), rng.NextUInt64());
    }

    [Fact]
    public void Const_and_rand_modes_fill_zeros_and_one_value_per_channel()
    {
        var sample = Enumerable.Repeat(5f, Channels * Height * Width).ToArray();
        var box = new RandomErasing(1.0, ErasingMode.Const).Apply(sample, Channels, Height, Width, SampleRandom.For(4)).Single();
        Assert.Equal(0f, sample[(2 * Height + box.Top) * Width + box.Left]);

        sample = Enumerable.Repeat(5f, Channels * Height * Width).ToArray();
        box = new RandomErasing(1.0, ErasingMode.Rand).Apply(sample, Channels, Height, Width, SampleRandom.For(5)).Single();
        for (var c = 0; c < Channels; c++)
        {
            var first = sample[(c * Height + box.Top) * Width + box.Left];
            Assert.Equal(first, sample[(c * Height + box.Bottom - 1) * Width + box.Right - 1]);
        }
    }
}
