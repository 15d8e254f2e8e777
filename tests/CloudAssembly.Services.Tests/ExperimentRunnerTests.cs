using CloudAssembly.Cli.Experiments;
using CloudAssembly.Contracts;
using CloudAssembly.Reporting.Experiments;

namespace CloudAssembly.Services.Tests;

/// <summary>The experiment runner trains real models (it lives in the CLI, beside the command that runs it), then the report renders.</summary>
public class ExperimentRunnerTests
{
    [Fact]
    public void A_small_experiment_trains_both_methods_at_matched_cost_and_renders_its_report()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cloudassembly-tests", $"experiment-{Guid.NewGuid():N}");
        var demo = RunSpec.FashionMnistDemo();
        var spec = demo with
        {
            Pretrain = demo.Pretrain with { Epochs = 1 },
            Modules = demo.Modules with { Epochs = 1 },
            Finetune = demo.Finetune with { Epochs = 1 },
            TrainLimit = 512,
            EvalLimit = 128,
        };
        try
        {
            var plan = new ExperimentPlan(spec, [1], [0], [0.5, 1.0], 1, "cpu", folder);
            var trials = new ExperimentRunner(plan, _ => { }).Run(CancellationToken.None);

            Assert.Equal(4, trials.Count);
            Assert.Equal(2, trials.Count(t => t.Method == ExperimentTrial.Assembling));
            Assert.Equal([0.5, 1.0], trials.Where(t => t.Method == ExperimentTrial.EndToEnd).Select(t => t.DataFraction).Order());
            Assert.All(trials, t =>
            {
                Assert.InRange(t.Acc1, 1.0, 100.0);
                Assert.True(t.CpuSeconds > 0);
            });
            // The baseline trains the full model for as many epochs as the assembling run cost: more than FT's one.
            Assert.All(trials.Where(t => t.Method == ExperimentTrial.EndToEnd), t => Assert.True(t.Epochs >= 2, $"E2E got {t.Epochs} epochs"));
            var files = ExperimentReport.Render(spec, trials);
            Assert.Contains("accuracy-vs-cost.png", files.Keys);
            Assert.Contains("data-efficiency.svg", files.Keys);
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }
}
