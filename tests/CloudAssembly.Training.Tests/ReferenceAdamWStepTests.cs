using System.Collections;
using CloudAssembly.Model;
using CloudAssembly.Model.Checkpoints;
using CloudAssembly.TestSupport;
using CloudAssembly.Training.Losses;
using CloudAssembly.Training.Optimization;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Tests;

public class ReferenceAdamWStepTests
{
    private static (VisionTransformer Model, IDictionary Step, Tensor Input) Load()
    {
        var ckpt = TorchLoadReader.Read(ReferenceFiles.Path1Channel);
        var model = new VisionTransformer(ReferenceFiles.Config1Channel);
        var stages = (IList)ckpt["model_stages"]!;
        for (var i = 0; i < stages.Count; i++)
            model.Stages[i].LoadStateDict(TorchLoadReader.StateDict(stages[i], "reference"), "reference");
        return (model, (IDictionary)ckpt["reference_step"]!, (Tensor)((IDictionary)ckpt["reference"]!)["input"]!);
    }

    private static FlatAdamW Optimizer(VisionTransformer model, IDictionary step) =>
        new(WeightDecayGroups.Build(model.NamedParameters(), Scalar(step, "weight_decay"), WeightDecayGroups.ModelSkipList),
            Scalar(step, "lr"));

    // The reference stores its Python floats (0.1, 1e-3, 0.05) as float32 tensors: recover the decimal value.
    private static double Scalar(IDictionary step, string key) => (double)(decimal)((Tensor)step[key]!).item<float>();

    private static Tensor Loss(VisionTransformer model, IDictionary step, Tensor input)
    {
        var labels = (Tensor)step["labels"]!;
        var targets = SoftTargetCrossEntropy.SmoothedOneHot(labels, model.Config.NumClasses, Scalar(step, "smoothing"));
        return SoftTargetCrossEntropy.Loss(model.call(input), targets);
    }

    [Fact]
    public void Loss_and_gradients_match_pytorch()
    {
        var (model, step, input) = Load();
        using var optimizer = Optimizer(model, step);
        var loss = Loss(model, step, input);
        Assert.Equal(((Tensor)step["loss"]!).item<float>(), loss.item<float>(), 5);
        loss.backward();
        var grads = TorchLoadReader.StateDict(step["grads"], "grads");
        foreach (var (name, p) in model.NamedParameters())
        {
            var expected = grads[name];
            var error = (p.grad!.detach() - expected).norm().item<float>();
            var scale = expected.norm().item<float>();
            // attn.qkv.bias's key part has a true gradient of zero (attention ignores a shift of the keys): only noise.
            Assert.True(error <= 1e-4 * scale + 1e-7, $"{name}: |Δgrad| {error} vs |grad| {scale}");
        }
    }

    [Fact]
    public void AdamW_step_from_pytorch_gradients_matches_pytorch_parameters()
    {
        var (model, step, _) = Load();
        using var optimizer = Optimizer(model, step);
        var grads = TorchLoadReader.StateDict(step["grads"], "grads");
        using (no_grad())
            foreach (var (name, p) in model.NamedParameters())
                p.grad!.copy_(grads[name]);
        optimizer.Step();
        var after = TorchLoadReader.StateDict(step["model_after"], "model_after");
        foreach (var (name, p) in model.NamedParameters())
        {
            var maxError = (p.detach() - after[name]).abs().max().item<float>();
            Assert.True(maxError < 1e-6, $"{name}: max |Δ| {maxError}");
        }
    }

    [Fact]
    public void Official_parameter_groups_exclude_biases_norms_and_tokens_from_decay()
    {
        var (model, step, _) = Load();
        var groups = WeightDecayGroups.Build(model.NamedParameters(), 0.05, WeightDecayGroups.ModelSkipList);
        var noDecay = groups[0].Parameters.Select(p => p.Name).ToHashSet();
        Assert.Contains("cls_token", noDecay);
        Assert.Contains("pos_embed", noDecay);
        Assert.Contains("blocks.0.norm1.weight", noDecay);
        Assert.Contains("head.bias", noDecay);
        Assert.Equal(["patch_embed.proj.weight", "blocks.0.attn.qkv.weight"], groups[1].Parameters.Select(p => p.Name).Take(2));
        Assert.Equal(0.0, groups[0].WeightDecay);
        Assert.Equal(0.05, groups[1].WeightDecay);
        _ = step;
    }
}
