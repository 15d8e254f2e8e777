using CloudAssembly.Data;
using CloudAssembly.Training.Distributed;
using CloudAssembly.Training.Engine;
using CloudAssembly.Training.Losses;
using CloudAssembly.Training.Optimization;
using CloudAssembly.Training.Phases;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Tests;

public class PartialGroupTests
{
    /// <summary>
    /// engine.py:30-33,57-64 on 1,000 samples at batch 100 × update_freq 3 with repeated augmentation (768 samples, 7
    /// micro-batches; ⌊1000 / 300⌋ = 3 steps' worth): all 7 micro-batches train, 2 steps are taken, and the 7th
    /// micro-batch's gradient (÷ 3) stays in the buffer for the next epoch's first step (official_semantics.json,
    /// partial_accumulation[0]).
    /// </summary>
    [Fact]
    public void A_last_partial_accumulation_group_is_trained_and_its_gradient_waits_for_the_next_step()
    {
        var options = FashionMnist.Phase(PhaseFixtures.TempFolder(), epochs: 1, trainLimit: 1000) with
        {
            BatchSize = 100,
            UpdateFreq = 3,
            RepeatedAug = true,
            Mixup = 0,
            Cutmix = 0,
            DropPath = 0,
        };
        var data = PhaseDataFactory.Create(options, CPU);
        var model = PhaseModelBuilder.Build(options, data.NumClasses, CPU, _ => { });
        using var optimizer = new FlatAdamW(model.Groups, 1e-3);
        var mixup = new Mixup(new MixupOptions(data.NumClasses, MixupAlpha: 0, CutmixAlpha: 0, LabelSmoothing: options.Smoothing));
        var trainer = new EpochTrainer(model.Model, optimizer, mixup, options, "PT", new SingleRank());

        var (_, images, _, _) = trainer.Train(data.Train, data.Train.Dataset.Count, 0, _ => { }, CancellationToken.None);
        Assert.Equal(7 * 100, images);
        Assert.Equal(2, optimizer.StepCount);

        using var carried = optimizer.FlatGradients.clone();
        optimizer.ZeroGrad();
        using (var last = data.Train.Epoch(0, firstBatch: 6).First())
        {
            var (targets, _) = mixup.Apply(last.Images, last.Labels, new SampleRandom(0));
            (SoftTargetCrossEntropy.Loss(model.Model.call(last.Images), targets) / options.UpdateFreq).backward();
        }
        var scale = optimizer.FlatGradients.norm().item<float>();
        Assert.True(scale > 0);
        var error = (carried - optimizer.FlatGradients).norm().item<float>();
        Assert.True(error <= 1e-6 * scale, $"the carried gradient differs from the last micro-batch's by {error} (norm {scale})");
    }
}
