using CloudAssembly.Contracts;

namespace CloudAssembly.Reporting.Tests;

public class RunReportBuilderTests
{
    [Fact]
    public void Ledger_follows_PT_the_slowest_module_FT_and_Eval_and_the_baseline_is_compared_by_device_seconds()
    {
        var report = SampleRun.Report();

        Assert.Equal(["PT", "MT_1", "FT", "Eval"], report.Cost.CriticalPath.Select(p => p.ToString()));
        Assert.Equal(60 + 70 + 100 + 5, report.Cost.CriticalPathSeconds, 6);
        var baseline = Assert.IsType<BaselineComparison>(report.Baseline);
        Assert.Equal(60 + 40 + 70 + 40 + 40 + 100 + 5, baseline.AssemblingDeviceSeconds, 6);
        Assert.Equal(200, baseline.BaselineDeviceSeconds, 6);
        Assert.Equal(355.0 / 200.0, baseline.CostRatio!.Value, 6);
        Assert.Equal(88.2, baseline.AssemblingAcc1);
        Assert.Equal(86, baseline.BaselineAcc1);
    }

    [Fact]
    public void Accuracies_and_curves_come_from_each_phase_and_its_log()
    {
        var report = SampleRun.Report();

        Assert.Equal(80, report.Accuracy.MetaModel);
        Assert.Equal([82, 83, 84, 84.5], report.Accuracy.Modules);
        Assert.Equal(30, report.Accuracy.AssembledBeforeFinetune);
        Assert.Equal(88, report.Accuracy.AssembledAfterFinetune);
        Assert.Equal(88.2, report.Accuracy.Final);
        Assert.Equal(["PT", "MT_0", "MT_1", "MT_2", "MT_3", "FT", "Eval", "E2E"], report.Phases.Select(p => p.Phase.ToString()));
        var ft = report.Phases.Single(p => p.Phase == PhaseKey.Finetune);
        Assert.Equal(172, ft.StartSeconds);
        Assert.Equal([83.0, 88.0], ft.Curve.Select(c => c.TestAcc1));
        Assert.Equal([50.0, 100.0], ft.Curve.Select(c => c.DeviceSeconds));
    }

    [Fact]
    public void A_log_txt_parses_line_by_line_and_skips_blank_lines()
    {
        var text = """
            {"train_lr":0.001,"train_loss":1.2,"test_acc1":70.5,"test_acc5":98,"test_loss":0.8,"epoch":0,"n_parameters":10,"train_images_per_second":400,"epoch_seconds":30}

            {"train_lr":0.0005,"train_loss":0.9,"test_acc1":80.25,"test_acc5":99,"test_loss":0.6,"epoch":1,"n_parameters":10,"train_images_per_second":410,"epoch_seconds":29}

            """;

        var epochs = PhaseRecord.ParseLog(text);

        Assert.Equal([70.5, 80.25], epochs.Select(e => e.TestAcc1));
        Assert.Equal([1.2, 0.9], epochs.Select(e => e.TrainLoss));
    }
}
