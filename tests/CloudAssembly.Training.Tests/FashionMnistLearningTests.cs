using CloudAssembly.Contracts;
using CloudAssembly.Pipeline;
using CloudAssembly.Training.Engine;

namespace CloudAssembly.Training.Tests;

public class FashionMnistLearningTests
{
    [Fact]
    public void A_small_ViT_learns_Fashion_MNIST_to_80_percent_in_a_short_run()
    {
        var folder = PhaseFixtures.TempFolder();
        // The embedded demo's recipe, on its meta model trained end to end.
        var demo = RunSpec.FashionMnistDemo() with { TrainLimit = 30_000, EvalLimit = 2_000 };
        var options = PhasePlanner.Pretrain(demo, folder, "cpu") with { Phase = Phase.E2E, Epochs = 4, NumWorkers = 2, Seed = 3 };
        var result = new PhaseRunner(options, PhaseDataFactory.Create).Run();
        Assert.Equal(4, result.EpochsTrained);
        Assert.True(result.FinalEval!.Acc1 >= 80.0, $"top-1 {result.FinalEval.Acc1:F2}% after 4 epochs of 30k images");
        var log = File.ReadAllLines(Path.Combine(folder, "log.txt")).Select(l => EpochLog.FromJson(l)!).ToList();
        Assert.True(log[^1].TrainLoss < log[0].TrainLoss, "the training loss did not go down");
    }
}
