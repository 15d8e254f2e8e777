using CloudAssembly.Contracts;
using CloudAssembly.Reporting.Experiments;

namespace CloudAssembly.Reporting.Tests;

public class ExperimentTests
{
    [Fact]
    public void Summary_is_mean_and_sample_sd_over_seeds_per_method_budget_and_fraction()
    {
        ExperimentTrial[] trials =
        [
            new(ExperimentTrial.Assembling, 1, 0, 1.0, 2, 100, 60, 80),
            new(ExperimentTrial.Assembling, 1, 1, 1.0, 2, 110, 61, 82),
            new(ExperimentTrial.Assembling, 1, 2, 1.0, 2, 120, 62, 84),
            new(ExperimentTrial.EndToEnd, 1, 0, 1.0, 5, 105, 60, 79),
            new(ExperimentTrial.Assembling, 1, 0, 0.5, 2, 50, 30, 70),
        ];

        var summary = ExperimentSummary.Of(trials);

        var assembling = summary.Single(s => s is { Method: ExperimentTrial.Assembling, DataFraction: 1.0 });
        Assert.Equal(3, assembling.Seeds);
        Assert.Equal(82, assembling.MeanAcc1, 9);
        Assert.Equal(2, assembling.SdAcc1, 9);
        Assert.Equal(110, assembling.MeanCpuSeconds, 9);
        Assert.Equal(10, assembling.SdCpuSeconds, 9);
        Assert.Equal(0, summary.Single(s => s.Method == ExperimentTrial.EndToEnd).SdAcc1);
        Assert.Equal(3, summary.Count);
        Assert.Contains("| Model Assembling | ×1 | 100% | 3 | 2 | 110 ± 10 | 82.00 ± 2.00 |", ExperimentReport.Markdown(trials));
    }

    [Fact]
    public void Trial_spec_scales_every_phase_by_the_budget_and_the_images_by_the_fraction()
    {
        var plan = new ExperimentPlan(RunSpec.FashionMnistDemo() with { TrainLimit = 1000 }, [1, 3], [0], [0.25, 1.0], 1, "cpu", "unused");
        var demo = RunSpec.FashionMnistDemo();

        var spec = plan.TrialSpec(3, 7, 0.25);

        Assert.Equal(250, spec.TrainLimit);
        Assert.Equal(7, spec.Seed);
        Assert.Equal(3 * demo.Pretrain.Epochs, spec.Pretrain.Epochs);
        Assert.Equal(3 * demo.Modules.Epochs, spec.Modules.Epochs);
        Assert.Equal(3 * demo.Finetune.Epochs, spec.Finetune.Epochs);
    }
}
