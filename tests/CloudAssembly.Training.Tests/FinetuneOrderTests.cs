using CloudAssembly.Model;
using CloudAssembly.Model.Checkpoints;
using CloudAssembly.Training.Checkpoints;
using CloudAssembly.Training.Phases;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Tests;

public class FinetuneOrderTests
{
    [Fact]
    public void Finetune_loads_first_so_MT_meta_stages_overwrite_it_as_in_main_py()
    {
        var folder = PhaseFixtures.TempFolder();
        var meta = PhaseFixtures.SaveCheckpoint(folder, "meta.pth", [1, 1, 1, 1], "PT", null, seed: 1);
        var init = PhaseFixtures.SaveCheckpoint(folder, "init.pth", [1, 2, 1, 1], "E2E", null, seed: 2);
        var options = PhaseFixtures.Options(Phase.MT, [1, 2, 1, 1]) with { Idx = 1, MetaModel = meta, Finetune = init };

        var model = PhaseModelBuilder.Build(options, 10, CPU, _ => { }).Model;

        using var metaModel = Load(meta, [1, 1, 1, 1]);
        using var initModel = Load(init, [1, 2, 1, 1]);
        foreach (var stage in model.Stages)
        {
            var source = stage.Index == 1 ? initModel.Stages[1] : metaModel.Stages[stage.Index];
            var expected = source.StateDict();
            foreach (var (name, value) in stage.StateDict())
                Assert.True(value.eq(expected[name]).all().item<bool>(), $"stage {stage.Index} {name} does not come from {(stage.Index == 1 ? "--finetune" : "the meta model")}");
        }
    }

    [Fact]
    public void A_finetune_head_of_another_class_count_fails_unless_a_new_head_is_asked_for()
    {
        var folder = PhaseFixtures.TempFolder();
        var init = PhaseFixtures.SaveCheckpoint(folder, "five.pth", [1, 1, 1, 1], "E2E", null, seed: 3, classes: 5);
        var options = PhaseFixtures.Options(Phase.PT, [1, 1, 1, 1]) with { Finetune = init };

        var error = Assert.Throws<CheckpointMismatchException>(() => PhaseModelBuilder.Build(options, 10, CPU, _ => { }));
        Assert.Contains("head for 5 classes but this dataset has 10", error.Message);
        Assert.Contains("--finetune-new-head", error.Message);

        var model = PhaseModelBuilder.Build(options with { FinetuneNewHead = true }, 10, CPU, _ => { }).Model;
        using var source = Load(init, [1, 1, 1, 1], classes: 5);
        Assert.True(model.Stages[0].StateDict()["pos_embed"].eq(source.Stages[0].StateDict()["pos_embed"]).all().item<bool>());
        Assert.Equal(10, model.Stages[^1].StateDict()["head.weight"].shape[0]);
    }

    private static VisionTransformer Load(string path, int[] depths, int classes = 10)
    {
        var model = new VisionTransformer(ModelCatalog.Create(PhaseFixtures.Model, classes, depths));
        PhaseCheckpoint.LoadAllStages(model, TorchLoadReader.Read(path), path);
        return model;
    }
}
