using System.Collections;
using CloudAssembly.Model.Checkpoints;
using CloudAssembly.TestSupport;
using CloudAssembly.Training;
using CloudAssembly.Training.Checkpoints;
using CloudAssembly.Training.Losses;
using CloudAssembly.Training.Optimization;
using CloudAssembly.Training.Phases;
using static TorchSharp.torch;

namespace CloudAssembly.Recipe.Tests;

/// <summary>
/// <c>mt_adamw_step</c>: one official MT step on the 1-channel reference for idx 0 and 2 — what is optimized, with
/// which weight decay (idx 0 decays cls_token and pos_embed: the official quirk), and the stage after AdamW.
/// </summary>
public class MtAdamWStepTests
{
    private static readonly IList Steps = (IList)TorchLoadReader.Read(RecipeReference.MtStepPath)["mt_adamw_step"]!;

    public static TheoryData<int> Cases => RecipeReference.Indices("mt_adamw_step");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parameter_groups_match_the_official_optimizer_of_the_stage(int index)
    {
        var (idx, prepared) = Build(index);
        var expected = RecipeReference.Section("mt_adamw_step")[index].GetProperty("param_groups").EnumerateArray()
            .SelectMany(g => g.GetProperty("params").EnumerateArray().Select(p => (p.GetString()!, g.GetProperty("weight_decay").GetDouble())))
            .Order().ToList();
        var ours = prepared.Groups.SelectMany(g => g.Parameters.Select(p => (p.Name, g.WeightDecay))).Order().ToList();
        Assert.Equal(expected, ours);
        if (idx == 0)
            Assert.Contains(("pos_embed", 0.05), ours);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Loss_gradients_and_the_AdamW_step_match_the_official_step(int index)
    {
        var (idx, prepared) = Build(index);
        var step = (IDictionary)Steps[index]!;
        var model = prepared.Model;
        using var optimizer = new FlatAdamW(prepared.Groups, 1e-3);
        var reference = TorchLoadReader.Read(ReferenceFiles.Path1Channel);
        var labels = (Tensor)((IDictionary)reference["reference_step"]!)["labels"]!;
        model.train();
        var loss = SoftTargetCrossEntropy.Loss(model.call((Tensor)((IDictionary)reference["reference"]!)["input"]!),
            SoftTargetCrossEntropy.SmoothedOneHot(labels, 10, 0.1));
        Assert.Equal(Convert.ToDouble(step["loss"]), loss.item<float>(), 5);
        loss.backward();

        var grads = TorchLoadReader.StateDict(step["stage_grads"], "stage_grads");
        var stage = model.Stages[idx].NamedParameters();
        Assert.Equal(grads.Keys.Order(), stage.Select(p => p.Name).Order());
        foreach (var (name, p) in stage)
        {
            var error = (p.grad!.detach() - grads[name]).norm().item<float>();
            var scale = grads[name].norm().item<float>();
            // As in the reference README: attn.qkv.bias's key part has a true gradient of zero, so only float noise.
            Assert.True(error <= 1e-4 * scale + 1e-7, $"idx {idx} {name}: |Δgrad| {error} vs |grad| {scale}");
        }

        using (no_grad())
            foreach (var (name, p) in stage)
                p.grad!.copy_(grads[name]);
        optimizer.Step();
        var after = TorchLoadReader.StateDict(step["stage_after"], "stage_after");
        foreach (var (name, p) in stage)
        {
            var maxError = (p.detach() - after[name]).abs().max().item<float>();
            Assert.True(maxError < 1e-6, $"idx {idx} {name}: max |Δ| {maxError} after the step");
        }
    }

    /// <summary>
    /// The MT phase for the step's idx, built as `train --phase MT` builds it from the reference as meta model; the
    /// target stage then takes the reference's weights too, as the official step started from all four.
    /// </summary>
    private static (int Idx, PreparedModel Prepared) Build(int index)
    {
        var idx = Convert.ToInt32(((IDictionary)Steps[index]!)["idx"]);
        var options = new TrainOptions
        {
            Phase = Phase.MT,
            Model = "vit_mini_patch4_28",
            Depths = [2, 2, 2, 2],
            Idx = idx,
            MetaModel = ReferenceFiles.Path1Channel,
            InputSize = 28,
            DropPath = 0.0,
            WeightDecay = 0.05,
        };
        var prepared = PhaseModelBuilder.Build(options, 10, CPU, _ => { });
        var reference = TorchLoadReader.Read(ReferenceFiles.Path1Channel);
        prepared.Model.Stages[idx].LoadStateDict(PhaseCheckpoint.Stages(reference, "reference")[idx], "reference");
        return (idx, prepared);
    }
}
