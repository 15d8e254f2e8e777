using CloudAssembly.Data.Augmentation;

namespace CloudAssembly.Data.Tests.Augmentation;

public class RandAugmentConfigTests
{
    [Fact]
    public void Reads_the_deit_spelling()
    {
        var config = RandAugmentConfig.Parse("rand-m9-mstd0.5-inc1");
        Assert.Equal(new RandAugmentConfig(9, 2, 0.5, true), config);
        Assert.Equal(RandAugmentConfig.IncreasingOps, config.Ops);
        Assert.Equal(15, config.Ops.Count);
    }

    [Fact]
    public void Reads_other_timm_variants()
    {
        Assert.Equal(new RandAugmentConfig(7, 3, 0, false), RandAugmentConfig.Parse("rand-m7-n3"));
        Assert.Equal(new RandAugmentConfig(10, 2, 0, false), RandAugmentConfig.Parse("rand"));
        Assert.Equal(RandAugmentConfig.DefaultOps, RandAugmentConfig.Parse("rand-m7-n3").Ops);
        Assert.Equal(1.25, RandAugmentConfig.Parse("rand-n1-mstd1.25").MagnitudeStd);
        Assert.Equal(0, RandAugmentConfig.Parse("rand-n0").NumLayers);
    }

    [Fact]
    public void Inc_with_any_value_selects_the_increasing_set_as_in_timm()
    {
        // timm tests bool("0"), which is true.
        Assert.True(RandAugmentConfig.Parse("rand-m9-inc0").Increasing);
    }

    [Theory]
    [InlineData("auto-m9")]
    [InlineData("rand-m9-x3")]
    [InlineData("rand-mfoo")]
    [InlineData("rand-m9-mstd")]
    [InlineData("rand-n")]
    [InlineData("rand-m9-w0")]
    [InlineData("rand-m9.5")]
    public void Unknown_spellings_are_refused_with_the_spelling_in_the_message(string spelling)
    {
        var error = Assert.Throws<ArgumentException>(() => RandAugmentConfig.Parse(spelling));
        Assert.Contains(spelling, error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("none")]
    [InlineData("None")]
    public void Options_without_auto_augment_have_no_rand_augment(string? spelling)
    {
        Assert.Null(new AugmentationOptions { AutoAugment = spelling }.RandAugment);
    }
}
