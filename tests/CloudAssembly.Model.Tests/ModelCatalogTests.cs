namespace CloudAssembly.Model.Tests;

public class ModelCatalogTests
{
    public static TheoryData<string, int[], long> Counts => new()
    {
        { "vit_base_patch16_224", [3, 3, 3, 3], 86_567_656 },
        { "vit_large_patch16_224", [6, 6, 6, 6], 304_326_632 },
        { "vit_huge_patch14_224", [8, 8, 8, 8], 631_922_920 },
        { "vit_base_patch16_224", [1, 1, 1, 1], 29_864_680 },
        // DeiT's models.py names; deit_base_patch16_224 is main.py's default --model.
        { "deit_base_patch16_224", [3, 3, 3, 3], 86_567_656 },
        { "deit_small_patch16_224", [3, 3, 3, 3], 22_050_664 },
        { "deit_tiny_patch16_224", [3, 3, 3, 3], 5_717_416 },
    };

    [Theory]
    [MemberData(nameof(Counts))]
    public void Parameter_counts_match_the_paper(string name, int[] depths, long expected)
    {
        using var model = new VisionTransformer(ModelCatalog.Create(name, 1000, depths));
        Assert.Equal(expected, model.parameters().Sum(p => p.numel()));
        Assert.Equal(expected, model.Stages.Sum(s => s.Parameters().Sum(p => p.numel())));
    }

    [Fact]
    public void ViT_H_has_no_qkv_bias_and_LayerNorm_eps_1e5()
    {
        var config = ModelCatalog.Create("vit_huge_patch14_224", 1000, [1, 1, 1, 1]);
        Assert.False(config.QkvBias);
        Assert.Equal(1e-5, config.LayerNormEps);
        Assert.True(ModelCatalog.Create("vit_base_patch16_224", 1000, [1]).QkvBias);
    }

    [Fact]
    public void Unknown_models_and_empty_depths_are_refused_clearly()
    {
        Assert.Contains("Unknown model 'vit_tiny'", Assert.Throws<ArgumentException>(() => ModelCatalog.Create("vit_tiny", 10, [1])).Message);
        Assert.Contains("--divided_depths", Assert.Throws<ArgumentException>(() => ModelCatalog.Create("vit_base_patch16_224", 10, [])).Message);
    }
}
