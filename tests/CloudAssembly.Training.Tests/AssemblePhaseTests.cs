using CloudAssembly.Contracts;
using CloudAssembly.Model;
using CloudAssembly.Model.Checkpoints;
using CloudAssembly.Pipeline;
using CloudAssembly.Training.Checkpoints;
using CloudAssembly.Training.Phases;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Tests;

public class AssemblePhaseTests
{
    private static readonly string Folder = PhaseFixtures.TempFolder();

    private static readonly string[] Incubated = [.. Enumerable.Range(0, 4).Select(i =>
        PhaseFixtures.SaveCheckpoint(Folder, $"MT_{i}.pth", [.. Enumerable.Range(0, 4).Select(j => j == i ? 2 : 1)], "MT", i, seed: 100 + i))];

    [Fact]
    public void Stage_i_of_the_assembled_model_is_stage_i_of_the_ith_MT_checkpoint_bitwise()
    {
        var options = PhaseFixtures.Options(Phase.FT, [2, 2, 2, 2]) with { IncubationModels = Incubated };
        var model = PhaseModelBuilder.Build(options, 10, CPU, _ => { }).Model;
        for (var i = 0; i < 4; i++)
        {
            var source = PhaseCheckpoint.Stages(TorchLoadReader.Read(Incubated[i]), Incubated[i])[i];
            var stage = model.Stages[i].StateDict();
            Assert.Equal(source.Keys.Order(), stage.Keys.Order());
            foreach (var (name, t) in stage)
                Assert.True(t.eq(source[name]).all().item<bool>(), $"stage {i} {name} differs from MT_{i}");
        }
        Assert.Contains("patch_embed.proj.weight", model.Stages[0].StateDict().Keys);
        Assert.Contains("head.weight", model.Stages[3].StateDict().Keys);
    }

    [Fact]
    public void FT_from_the_assembled_checkpoint_is_FT_from_the_MT_checkpoints_bitwise()
    {
        var assembled = Path.Combine(Folder, "assembled.pth");
        ModelAssembler.Assemble(RunSpec.FashionMnistDemo() with { Model = PhaseFixtures.Model }, Incubated, assembled);
        var fromModules = PhaseModelBuilder.Build(PhaseFixtures.Options(Phase.FT, [2, 2, 2, 2]) with { IncubationModels = Incubated }, 10, CPU, _ => { });
        var log = new List<string>();
        var fromAssembled = PhaseModelBuilder.Build(PhaseFixtures.Options(Phase.FT, [2, 2, 2, 2]) with { AssembledModel = assembled }, 10, CPU, log.Add);

        var expected = PhaseFixtures.Snapshot(fromModules.Model);
        var actual = PhaseFixtures.Snapshot(fromAssembled.Model);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, t) in expected)
            Assert.True(t.eq(actual[name]).all().item<bool>(), $"{name} differs between FT from the assembled checkpoint and FT from the modules");
        Assert.Equal(fromModules.Groups.Sum(g => g.Parameters.Count), fromAssembled.Groups.Sum(g => g.Parameters.Count));
        Assert.Contains(log, l => l.Contains("assembled model loaded", StringComparison.Ordinal));
    }

    [Fact]
    public void FT_given_both_the_modules_and_an_assembled_model_is_refused()
    {
        var options = PhaseFixtures.Options(Phase.FT, [2, 2, 2, 2]) with { IncubationModels = Incubated, AssembledModel = Incubated[0] };
        var e = Assert.Throws<ArgumentException>(() => PhaseModelBuilder.Build(options, 10, CPU, _ => { }));
        Assert.Contains("not both", e.Message);
    }

    [Fact]
    public void FT_trains_every_parameter()
    {
        var options = PhaseFixtures.Options(Phase.FT, [2, 2, 2, 2]) with { IncubationModels = Incubated };
        var prepared = PhaseModelBuilder.Build(options, 10, CPU, _ => { });
        Assert.Equal(prepared.Model.parameters().Sum(p => p.numel()), prepared.Groups.Sum(g => g.Parameters.Sum(p => p.Parameter.numel())));
    }

    [Fact]
    public void A_wrong_number_of_incubation_models_is_refused()
    {
        var options = PhaseFixtures.Options(Phase.FT, [2, 2, 2, 2]) with { IncubationModels = Incubated[..3] };
        var e = Assert.Throws<ArgumentException>(() => PhaseModelBuilder.Build(options, 10, CPU, _ => { }));
        Assert.Contains("needs 4 --incubation_models", e.Message);
        Assert.Contains("got 3", e.Message);
    }

    [Fact]
    public void Incubation_models_out_of_order_are_refused()
    {
        var options = PhaseFixtures.Options(Phase.FT, [2, 2, 2, 2]) with { IncubationModels = [Incubated[1], Incubated[0], Incubated[2], Incubated[3]] };
        var e = Assert.Throws<CheckpointMismatchException>(() => PhaseModelBuilder.Build(options, 10, CPU, _ => { }));
        Assert.Contains("incubated module 1", e.Message);
        Assert.Contains("stage order", e.Message);
    }

    [Fact]
    public void A_stage_that_does_not_fit_is_refused_naming_the_checkpoint()
    {
        var options = PhaseFixtures.Options(Phase.FT, [3, 3, 3, 3]) with { IncubationModels = Incubated };
        var e = Assert.Throws<CheckpointMismatchException>(() => PhaseModelBuilder.Build(options, 10, CPU, _ => { }));
        Assert.Contains("incubation model #0", e.Message);
        Assert.Contains("does not fit", e.Message);
    }

    [Fact]
    public void Checkpoints_we_write_hold_the_official_keys_and_every_tensor_under_both_names()
    {
        var checkpoint = TorchLoadReader.Read(Incubated[2]);
        foreach (var key in new[] { "model", "model_stages", "optimizer", "lr_scheduler", "epoch", "scaler", "rng_state" })
            Assert.True(checkpoint.ContainsKey(key), $"missing '{key}'");
        var full = TorchLoadReader.StateDict(checkpoint["model"], "model");
        Assert.True(full["blocks.3.attn.qkv.weight"].eq(full["stages.2.blocks.1.attn.qkv.weight"]).all().item<bool>());
        Assert.True(full["cls_token"].eq(full["stages.0.cls_token"]).all().item<bool>());
        Assert.True(full["head.bias"].eq(full["stages.3.head.bias"]).all().item<bool>());
    }
}
