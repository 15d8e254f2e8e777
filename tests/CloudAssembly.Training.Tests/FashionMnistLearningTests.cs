using CloudAssembly.Training.Engine;

namespace CloudAssembly.Training.Tests;

public class FashionMnistLearningTests
{
    [Fact]
    public void A_small_ViT_learns_Fashion_MNIST_to_80_percent_in_a_short_run()
    {
        var folder = PhaseFixtures.TempFolder();
        var options = FashionMnist.Phase(folder, epochs: 4, trainLimit: 30_000, evalLimit: 2_000) with
        {
            Phase = Phase.E2E,
            Lr = 8e-3,
            WarmupEpochs = 0,
            DropPath = 0,
            Mixup = 0,
            Cutmix = 0,
            Aa = "none",
            ColorJitter = 0,
            CropPadding = 0,
            Reprob = 0,
        };
        var result = new PhaseRunner(options, PhaseDataFactory.Create).Run();
        Assert.Equal(4, result.EpochsTrained);
        Assert.True(result.FinalEval!.Acc1 >= 80.0, $"top-1 {result.FinalEval.Acc1:F2}% after 4 epochs of 30k images");
        var log = File.ReadAllLines(Path.Combine(folder, "log.txt")).Select(l => EpochLog.FromJson(l)!).ToList();
        Assert.True(log[^1].TrainLoss < log[0].TrainLoss, "the training loss did not go down");
    }
}
