using CloudAssembly.Model;
using CloudAssembly.Model.Checkpoints;
using CloudAssembly.Training.Checkpoints;
using CloudAssembly.Training.Engine;
using CloudAssembly.Training.Phases;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Tests;

public class EngineTests
{
    private static TrainOptions OneStep(string folder) => FashionMnist.Phase(folder, epochs: 1, trainLimit: 64, evalLimit: 64) with
    {
        Phase = Phase.E2E,
        BatchSize = 64,
        DropPath = 0,
        Mixup = 0,
        Cutmix = 0,
        WarmupEpochs = 0,
    };

    /// <summary>The first moments after one step: (1 − β1) × the step's gradient, for every optimized tensor in order.</summary>
    private static List<Tensor> FirstMoments(string folder)
    {
        var checkpoint = TorchLoadReader.Read(Path.Combine(folder, CheckpointDirectory.FinishedName));
        var state = (System.Collections.IDictionary)((System.Collections.IDictionary)checkpoint["optimizer"]!)["state"]!;
        return [.. state.Keys.Cast<object>().OrderBy(Convert.ToInt32).Select(k => (Tensor)((System.Collections.IDictionary)state[k]!)["exp_avg"]!)];
    }

    /// <summary>
    /// Compares the gradients the step was taken with (through AdamW's first moment), not the weights after it: Adam's
    /// first step moves each element by about lr·sign(g), so an element whose true gradient is tiny lands anywhere
    /// within ±lr depending on the summation order.
    /// </summary>
    [Fact]
    public void Two_accumulated_half_batches_make_the_same_step_as_one_full_batch()
    {
        var full = PhaseFixtures.TempFolder();
        new PhaseRunner(OneStep(full), PhaseDataFactory.Create).Run();
        var accumulated = PhaseFixtures.TempFolder();
        new PhaseRunner(OneStep(accumulated) with { BatchSize = 32, UpdateFreq = 2 }, PhaseDataFactory.Create).Run();
        var a = FirstMoments(full);
        var b = FirstMoments(accumulated);
        Assert.Equal(a.Count, b.Count);
        Assert.True(a.Count > 10);
        for (var i = 0; i < a.Count; i++)
        {
            var error = (a[i] - b[i]).norm().item<float>();
            var scale = a[i].norm().item<float>();
            Assert.True(scale > 0, $"tensor {i} got no gradient");
            Assert.True(error <= 1e-4 * scale + 1e-9, $"tensor {i}: |Δgrad| {error} vs |grad| {scale} between batch 64 and 2 x 32 accumulated");
        }
    }

    [Fact]
    public void A_diverging_loss_stops_the_phase_with_a_clear_error_and_keeps_no_half_epoch()
    {
        var folder = PhaseFixtures.TempFolder();
        var options = FashionMnist.Phase(folder, epochs: 2, trainLimit: 1024, evalLimit: 64) with { Lr = 1e12, WarmupEpochs = 0 };
        var e = Assert.Throws<NonFiniteLossException>(() => new PhaseRunner(options, PhaseDataFactory.Create).Run());
        Assert.Contains("the training loss became", e.Message);
        Assert.Contains("lower --lr", e.Message);
        Assert.False(File.Exists(Path.Combine(folder, CheckpointDirectory.FinishedName)));
    }

    [Fact]
    public void Bf16_compute_keeps_fp32_master_weights_and_close_logits()
    {
        var (model, stages) = (new VisionTransformer(ReferenceFixtures.Config), ReferenceFixtures.Stages);
        for (var i = 0; i < stages.Count; i++)
            model.Stages[i].LoadStateDict(stages[i], "reference");
        var input = ReferenceFixtures.Input;
        using var fp32 = model.call(input);
        model.ComputeType = ScalarType.BFloat16;
        using var bf16 = model.call(input);
        Assert.Equal(ScalarType.Float32, bf16.dtype);
        var relative = ((bf16 - fp32).norm() / fp32.norm()).item<float>();
        Assert.InRange(relative, 0f, 0.05f);
        bf16.sum().backward();
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.grad!.dtype));
    }

    [Fact]
    public void Finetune_resizes_pos_embed_bicubically_and_keeps_the_class_token()
    {
        var pos = randn(1, 1 + 16, 8);
        var same = FinetuneInitializer.Interpolate(pos, 16);
        Assert.True(allclose(same, pos, atol: 1e-5));
        var larger = FinetuneInitializer.Interpolate(pos, 49);
        Assert.Equal([1, 50, 8], larger.shape);
        Assert.True(larger.narrow(1, 0, 1).eq(pos.narrow(1, 0, 1)).all().item<bool>());
    }
}
