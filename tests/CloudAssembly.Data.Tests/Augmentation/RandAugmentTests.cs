using CloudAssembly.Data.Augmentation;

namespace CloudAssembly.Data.Tests.Augmentation;

public class RandAugmentTests
{
    private static RandAugment Deit() => new(RandAugmentConfig.Parse("rand-m9-mstd0.5-inc1"), RandAugmentParameters.ImageNet);

    [Fact]
    public void Noisy_magnitudes_are_clipped_to_zero_and_ten()
    {
        var augment = new RandAugment(new RandAugmentConfig(9, 2, 5.0, true), RandAugmentParameters.ImageNet);
        var magnitudes = Enumerable.Range(0, 5000).SelectMany(i => augment.Sample(SampleRandom.For(1, i))).Select(s => s.Magnitude).ToList();
        Assert.All(magnitudes, m => Assert.InRange(m, 0.0, 10.0));
        Assert.Contains(10.0, magnitudes);
        Assert.Contains(0.0, magnitudes);
    }

    [Fact]
    public void Deit_magnitudes_spread_around_nine()
    {
        var magnitudes = Enumerable.Range(0, 5000).SelectMany(i => Deit().Sample(SampleRandom.For(2, i))).Select(s => s.Magnitude).ToList();
        Assert.InRange(magnitudes.Average(), 8.95, 9.05);
        var std = Math.Sqrt(magnitudes.Average(m => (m - 9) * (m - 9)));
        // N(9, 0.5) clipped at 10 loses a little spread.
        Assert.InRange(std, 0.45, 0.51);
        Assert.True(magnitudes.Max() <= 10.0);
    }

    [Fact]
    public void Without_noise_every_op_gets_the_configured_magnitude()
    {
        var augment = new RandAugment(RandAugmentConfig.Parse("rand-m7-n3"), RandAugmentParameters.ImageNet);
        var steps = Enumerable.Range(0, 500).SelectMany(i => augment.Sample(SampleRandom.For(3, i)));
        Assert.All(steps, s => Assert.Equal(7.0, s.Magnitude));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Each_of_n_chosen_ops_is_applied_with_probability_one_half(int layers)
    {
        var augment = new RandAugment(new RandAugmentConfig(9, layers, 0.5, true), RandAugmentParameters.ImageNet);
        var counts = Enumerable.Range(0, 20000).Select(i => augment.Sample(SampleRandom.For(4, layers, i)).Count).ToList();
        Assert.All(counts, c => Assert.InRange(c, 0, layers));
        Assert.InRange(counts.Average(), layers * 0.5 - 0.03, layers * 0.5 + 0.03);
        // None applied: 0.5^n.
        Assert.InRange(counts.Count(c => c == 0) / 20000.0, Math.Pow(0.5, layers) - 0.015, Math.Pow(0.5, layers) + 0.015);
    }

    [Fact]
    public void Ops_are_drawn_uniformly_from_the_increasing_set()
    {
        var ops = Enumerable.Range(0, 30000).SelectMany(i => Deit().Sample(SampleRandom.For(5, i))).Select(s => s.Op).ToList();
        Assert.Equal(RandAugmentConfig.IncreasingOps.ToHashSet(), ops.ToHashSet());
        foreach (var group in ops.GroupBy(o => o))
            Assert.InRange(group.Count() / (double)ops.Count, 1 / 15.0 - 0.006, 1 / 15.0 + 0.006);
    }

    [Fact]
    public void Level_to_argument_follows_timm()
    {
        var augment = Deit();
        var rng = SampleRandom.For(6);
        Assert.Equal(27.0, Math.Abs(augment.Argument(RandAugmentOp.Rotate, 9, rng)), 12);
        Assert.Equal(1, augment.Argument(RandAugmentOp.PosterizeIncreasing, 9, rng));
        Assert.Equal(3, augment.Argument(RandAugmentOp.Posterize, 9, rng));
        Assert.Equal(26, augment.Argument(RandAugmentOp.SolarizeIncreasing, 9, rng));
        Assert.Equal(230, augment.Argument(RandAugmentOp.Solarize, 9, rng));
        Assert.Equal(99, augment.Argument(RandAugmentOp.SolarizeAdd, 9, rng));
        Assert.Equal(1.72, augment.Argument(RandAugmentOp.Color, 9, rng), 12);
        Assert.Equal(0.81, Math.Abs(augment.Argument(RandAugmentOp.SharpnessIncreasing, 9, rng) - 1), 12);
        Assert.Equal(0.27, Math.Abs(augment.Argument(RandAugmentOp.ShearY, 9, rng)), 12);
        Assert.Equal(0.405, Math.Abs(augment.Argument(RandAugmentOp.TranslateXRel, 9, rng)), 12);
        Assert.Equal(4, augment.Argument(RandAugmentOp.PosterizeIncreasing, 0, rng));
        Assert.Equal(0, augment.Argument(RandAugmentOp.PosterizeIncreasing, 10, rng));
        Assert.Equal(256, augment.Argument(RandAugmentOp.SolarizeIncreasing, 0, rng));
    }

    [Fact]
    public void Signed_arguments_are_negated_half_the_time()
    {
        var augment = Deit();
        var negative = Enumerable.Range(0, 4000).Count(i => augment.Argument(RandAugmentOp.ShearX, 9, SampleRandom.For(7, i)) < 0);
        Assert.InRange(negative, 1800, 2200);
        var factors = Enumerable.Range(0, 200).Select(i => augment.Argument(RandAugmentOp.BrightnessIncreasing, 10, SampleRandom.For(8, i))).ToHashSet();
        Assert.Equal(2, factors.Count);
        Assert.All(factors, f => Assert.True(Math.Abs(f - 0.1) < 1e-12 || Math.Abs(f - 1.9) < 1e-12, $"factor {f}"));
    }

    [Fact]
    public void Translate_step_shifts_by_the_fraction_of_the_side_and_fills_with_the_mean()
    {
        var image = TestImages.Rgb(4, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4);
        var result = Deit().Apply(image, [new RandAugmentStep(RandAugmentOp.TranslateXRel, 9, 0.5, ResampleFilter.Bicubic)]);
        Assert.Equal([3, 3, 3, 4, 4, 4, 124, 116, 104, 124, 116, 104], result.Pixels);
    }

    [Fact]
    public void Every_op_works_on_grey_images_and_fills_with_the_first_mean()
    {
        var augment = Deit();
        foreach (var op in RandAugmentConfig.DefaultOps.Concat(RandAugmentConfig.IncreasingOps))
        {
            var image = TestImages.Pattern(20, 16, 1);
            var argument = augment.Argument(op, 9, SampleRandom.For(9));
            var result = augment.Apply(image, [new RandAugmentStep(op, 9, argument, ResampleFilter.Bicubic)]);
            Assert.Equal((20, 16, 1), (result.Width, result.Height, result.Channels));
        }
        var shifted = augment.Apply(TestImages.Pattern(20, 16, 1), [new RandAugmentStep(RandAugmentOp.TranslateYRel, 9, -0.5, ResampleFilter.Bicubic)]);
        Assert.All(shifted.Pixels.Take(20 * 8), v => Assert.Equal(124, v));
    }

    [Fact]
    public void Same_seed_gives_the_same_steps_and_bytes()
    {
        var source = TestImages.Noise(48, 40, 3, seed: 10);
        for (var i = 0; i < 50; i++)
        {
            var first = Deit().Apply(source.Clone(), SampleRandom.For(11, i));
            var second = Deit().Apply(source.Clone(), SampleRandom.For(11, i));
            Assert.Equal(first.Pixels, second.Pixels);
        }
    }

    [Fact]
    public void Random_interpolation_draws_both_filters_for_geometric_ops_only()
    {
        var augment = new RandAugment(new RandAugmentConfig(9, 2, 0.5, true), new RandAugmentParameters { Interpolation = Interpolation.Random });
        var steps = Enumerable.Range(0, 3000).SelectMany(i => augment.Sample(SampleRandom.For(12, i))).ToList();
        var geometric = steps.Where(s => s.Op is RandAugmentOp.Rotate or RandAugmentOp.ShearX or RandAugmentOp.ShearY
            or RandAugmentOp.TranslateXRel or RandAugmentOp.TranslateYRel).ToList();
        Assert.Equal(new HashSet<ResampleFilter?> { ResampleFilter.Bilinear, ResampleFilter.Bicubic }, geometric.Select(s => s.Filter).ToHashSet());
        Assert.All(steps.Except(geometric), s => Assert.Null(s.Filter));
    }

    [Fact]
    public void Fill_is_the_rounded_mean_in_bytes()
    {
        Assert.Equal([124, 116, 104], RandAugmentParameters.FillFor([0.485, 0.456, 0.406]));
        Assert.Equal([128], RandAugmentParameters.FillFor([0.5]));
    }
}
