using static TorchSharp.torch;

namespace CloudAssembly.Model.Tests;

public class StageViewTests
{
    private static VisionTransformer Model(params int[] depths) => new(ModelCatalog.Create("vit_mini_patch4_28", 10, depths));

    [Fact]
    public void Stages_use_the_official_local_keys()
    {
        using var model = Model(2, 3, 1, 2);
        var first = model.Stages[0].StateDict().Keys.ToList();
        Assert.Equal(["pos_embed", "cls_token", "patch_embed.proj.weight", "patch_embed.proj.bias", "blocks.0.norm1.weight"], first.Take(5));
        Assert.Contains("blocks.1.mlp.fc2.bias", first);
        Assert.DoesNotContain("blocks.2.norm1.weight", first);
        var middle = model.Stages[1].StateDict().Keys.ToList();
        Assert.Equal(3 * 12, middle.Count);
        Assert.All(middle, k => Assert.StartsWith("blocks.", k));
        var last = model.Stages[3].StateDict().Keys.ToList();
        Assert.Equal(["norm.weight", "norm.bias", "head.weight", "head.bias"], last.TakeLast(4));
    }

    [Fact]
    public void A_stage_is_a_view_on_the_network_parameters()
    {
        using var model = Model(1, 2, 1, 1);
        var global = model.NamedParameters().Single(p => p.Name == "blocks.2.attn.proj.weight").Parameter;
        var local = model.Stages[1].NamedParameters().Single(p => p.Name == "blocks.1.attn.proj.weight").Parameter;
        Assert.Same(global, local);
    }

    [Fact]
    public void Initialisation_follows_timm()
    {
        // Its own generator: other test classes run in parallel and draw from (and seed) the process-global one.
        using var random = new Generator(11, CPU);
        using var model = new VisionTransformer(ModelCatalog.Create("vit_mini_patch4_28", 10, [2, 2, 2, 2]), random);
        var p = model.NamedParameters().ToDictionary(x => x.Name, x => x.Parameter);
        Assert.InRange(p["blocks.0.mlp.fc1.weight"].std().item<float>(), 0.018, 0.022);
        Assert.InRange(p["pos_embed"].std().item<float>(), 0.015, 0.025);
        Assert.Equal(0f, p["blocks.3.attn.qkv.bias"].abs().max().item<float>());
        Assert.Equal(1f, p["norm.weight"].min().item<float>());
        // The patch-embedding conv keeps PyTorch's default kaiming-uniform init: bound 1/sqrt(fan_in) = 1/4.
        Assert.InRange(p["patch_embed.proj.weight"].abs().max().item<float>(), 0.2, 0.25);
    }

    [Fact]
    public void Drop_path_grows_linearly_and_is_off_in_eval()
    {
        using var model = new VisionTransformer(ModelCatalog.Create("vit_mini_patch4_28", 10, [1, 1, 1, 1], 0.9));
        using var x = randn(16, 1, 28, 28);
        model.eval();
        using var a = model.call(x);
        using var b = model.call(x);
        Assert.True(a.eq(b).all().item<bool>());
        model.train();
        using var c = model.call(x);
        Assert.False(a.eq(c).all().item<bool>());
    }

    [Fact]
    public void A_stage_with_other_depths_does_not_load()
    {
        using var source = Model(1, 1, 1, 1);
        using var target = Model(1, 2, 1, 1);
        var e = Assert.Throws<CheckpointMismatchException>(() => target.Stages[1].LoadStateDict(source.Stages[1].StateDict(), "a test"));
        Assert.Contains("missing", e.Message);
    }

    [Fact]
    public void Wrong_input_size_is_refused_with_both_sizes()
    {
        using var model = Model(1, 1, 1, 1);
        var e = Assert.Throws<ArgumentException>(() => model.call(randn(2, 1, 32, 32)));
        Assert.Contains("2x1x32x32", e.Message);
        Assert.Contains("1x28x28", e.Message);
    }
}
