using CloudAssembly.Model;
using CloudAssembly.Model.Checkpoints;
using CloudAssembly.Training.Checkpoints;
using CloudAssembly.Training.Losses;
using CloudAssembly.Training.Optimization;
using CloudAssembly.Training.Phases;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Tests;

public class ModularTrainingPhaseTests
{
    private static readonly string Folder = PhaseFixtures.TempFolder();
    private static readonly string Meta = PhaseFixtures.SaveCheckpoint(Folder, "meta.pth", [1, 1, 1, 1], "PT", null, seed: 11);

    public static TheoryData<int> Targets => new() { 0, 1, 3 };

    [Theory]
    [MemberData(nameof(Targets))]
    public void Only_the_target_stage_changes_and_meta_stages_come_from_PT_bitwise(int idx)
    {
        var depths = Enumerable.Repeat(1, 4).Select((d, i) => i == idx ? 2 : d).ToArray();
        var options = PhaseFixtures.Options(Phase.MT, depths) with { Idx = idx, MetaModel = Meta };
        var prepared = PhaseModelBuilder.Build(options, 10, CPU, _ => { });
        var model = prepared.Model;
        var meta = PhaseCheckpoint.Stages(TorchLoadReader.Read(Meta), Meta);
        foreach (var stage in model.Stages.Where(s => s.Index != idx))
            foreach (var (name, t) in stage.StateDict())
                Assert.True(t.eq(meta[stage.Index][name]).all().item<bool>(), $"stage {stage.Index} {name} not loaded from the meta model");

        var targetNames = model.Stages[idx].NamedParameters().Select(p => p.Parameter).ToHashSet();
        Assert.Equal(model.Stages[idx].Parameters().Sum(p => p.numel()), prepared.Groups.Sum(g => g.Parameters.Sum(p => p.Parameter.numel())));
        Assert.All(model.Stages.Where(s => s.Index != idx).SelectMany(s => s.Parameters()), p => Assert.False(p.requires_grad));

        var before = PhaseFixtures.Snapshot(model);
        using var optimizer = new FlatAdamW(prepared.Groups, 1e-3);
        model.train();
        manual_seed(5);
        for (var step = 0; step < 3; step++)
        {
            using var scope = NewDisposeScope();
            var labels = randint(0, 10, [8]);
            var loss = SoftTargetCrossEntropy.Loss(model.call(randn(8, 1, 28, 28)), SoftTargetCrossEntropy.SmoothedOneHot(labels, 10, 0.1));
            loss.backward();
            optimizer.Step();
            optimizer.ZeroGrad();
        }
        foreach (var (name, p) in model.NamedParameters())
        {
            var unchanged = p.detach().eq(before[name]).all().item<bool>();
            if (targetNames.Contains(p))
                Assert.False(unchanged, $"{name} belongs to the target stage {idx} but did not change");
            else
                Assert.True(unchanged, $"{name} is outside stage {idx} but changed");
        }
    }

    [Fact]
    public void MT_idx_zero_decays_cls_token_and_pos_embed_like_the_official_code()
    {
        var options = PhaseFixtures.Options(Phase.MT, [2, 1, 1, 1]) with { Idx = 0, MetaModel = Meta };
        var groups = PhaseModelBuilder.Build(options, 10, CPU, _ => { }).Groups;
        var decayed = groups.Single(g => g.WeightDecay > 0).Parameters.Select(p => p.Name).ToList();
        Assert.Contains("cls_token", decayed);
        Assert.Contains("pos_embed", decayed);
    }

    [Fact]
    public void An_idx_out_of_range_is_refused_with_the_valid_range()
    {
        var options = PhaseFixtures.Options(Phase.MT, [2, 1, 1, 1]) with { Idx = 4, MetaModel = Meta };
        var e = Assert.Throws<ArgumentException>(() => PhaseModelBuilder.Build(options, 10, CPU, _ => { }));
        Assert.Contains("--idx 4 is out of range", e.Message);
        Assert.Contains("0..3", e.Message);
    }

    [Fact]
    public void Depths_that_do_not_fit_the_meta_model_are_refused_naming_the_stage()
    {
        var options = PhaseFixtures.Options(Phase.MT, [2, 2, 1, 1]) with { Idx = 0, MetaModel = Meta };
        var e = Assert.Throws<CheckpointMismatchException>(() => PhaseModelBuilder.Build(options, 10, CPU, _ => { }));
        Assert.Contains("Stage 1 of meta model", e.Message);
        Assert.Contains("does not fit", e.Message);
    }

    [Fact]
    public void A_meta_model_with_another_number_of_stages_is_refused()
    {
        var options = PhaseFixtures.Options(Phase.MT, [2, 1, 1]) with { Idx = 0, MetaModel = Meta };
        var e = Assert.Throws<CheckpointMismatchException>(() => PhaseModelBuilder.Build(options, 10, CPU, _ => { }));
        Assert.Contains("has 4 stages", e.Message);
    }

    [Fact]
    public void A_checkpoint_of_another_model_is_refused()
    {
        var other = PhaseFixtures.SaveCheckpoint(Folder, "tiny-meta.pth", [1, 1, 1, 1], "PT", null, seed: 3, model: "deit_tiny_patch4_32");
        var options = PhaseFixtures.Options(Phase.MT, [2, 1, 1, 1]) with { Idx = 0, MetaModel = other };
        var e = Assert.Throws<CheckpointMismatchException>(() => PhaseModelBuilder.Build(options, 10, CPU, _ => { }));
        Assert.Contains("is a deit_tiny_patch4_32 checkpoint, but --model is vit_mini_patch4_28", e.Message);
    }

    [Fact]
    public void MT_without_idx_or_meta_model_says_what_is_missing()
    {
        Assert.Contains("needs --idx", Assert.Throws<ArgumentException>(() =>
            PhaseModelBuilder.Validate(PhaseFixtures.Options(Phase.MT, [2, 1, 1, 1]) with { MetaModel = Meta })).Message);
        Assert.Contains("needs --meta_model", Assert.Throws<ArgumentException>(() =>
            PhaseModelBuilder.Validate(PhaseFixtures.Options(Phase.MT, [2, 1, 1, 1]) with { Idx = 0 })).Message);
        Assert.Contains("--divided_depths is required", Assert.Throws<ArgumentException>(() =>
            PhaseModelBuilder.Validate(PhaseFixtures.Options(Phase.PT, []))).Message);
    }
}
