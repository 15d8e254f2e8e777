using CloudAssembly.Model;
using CloudAssembly.Training.Engine;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace CloudAssembly.Training.Tests;

public class EvaluatorTests
{
    [Fact]
    public void Test_loss_is_the_mean_of_per_batch_mean_losses_as_the_official_MetricLogger_keeps_it()
    {
        // 10 validation images in batches of 1.5 × 4 = 6: one of 6 and a short one of 4.
        var options = FashionMnist.Phase(PhaseFixtures.TempFolder(), epochs: 1, evalLimit: 10) with { BatchSize = 4 };
        var data = PhaseDataFactory.Create(options, CPU);
        manual_seed(1);
        using var model = new VisionTransformer(ModelCatalog.Create(options.Model, data.NumClasses, options.Depths));

        var result = Evaluator.Evaluate(model, data.Val);

        var batches = new List<(double Loss, long Size)>();
        using (no_grad())
            foreach (var batch in data.Val.Epoch(0))
                batches.Add((F.cross_entropy(model.call(batch.Images), batch.Labels).item<float>(), batch.Size));
        Assert.Equal([6L, 4L], batches.Select(b => b.Size));
        Assert.Equal(10, result.Images);
        Assert.Equal(batches.Average(b => b.Loss), result.Loss, 5);
        var perImage = batches.Sum(b => b.Loss * b.Size) / 10;
        Assert.True(Math.Abs(perImage - result.Loss) > 1e-5, "the two averages coincide; the test cannot tell them apart");
    }

    [Fact]
    public void Eval_limit_is_a_seeded_random_subset_not_the_first_samples()
    {
        var options = FashionMnist.Phase(PhaseFixtures.TempFolder(), epochs: 1, evalLimit: 60) with { BatchSize = 40 };
        var labels = Labels(PhaseDataFactory.Create(options, CPU));
        Assert.Equal(labels, Labels(PhaseDataFactory.Create(options, CPU)));
        Assert.NotEqual(labels, Labels(PhaseDataFactory.Create(options with { Seed = options.Seed + 1 }, CPU)));
        var whole = PhaseDataFactory.Create(options with { EvalLimit = 0 }, CPU);
        Assert.Equal(10_000, whole.Val.Dataset.Count);
        using var first = whole.Val.Epoch(0).First();
        Assert.NotEqual(labels, first.Labels.data<long>().ToArray());
    }

    private static long[] Labels(PhaseData data) =>
        [.. data.Val.Epoch(0).SelectMany(b => { using (b) return b.Labels.data<long>().ToArray(); })];
}
