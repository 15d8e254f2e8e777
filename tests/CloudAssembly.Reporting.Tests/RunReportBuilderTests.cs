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

    [Fact]
    public void A_failed_attempt_is_counted_in_its_phase_shown_as_lost_and_starts_the_timeline()
    {
        var report = SampleRun.Report();

        var pt = report.Phases.Single(p => p.Phase == PhaseKey.Pretrain);
        Assert.Equal((60.0, 15.0, 2), (pt.DeviceSeconds, pt.LostDeviceSeconds, pt.Epochs));
        Assert.Equal(0, pt.StartSeconds);
        Assert.Equal([(1, "failed", "trainer-a", 0.0, 15.0, 15.0), (2, "completed", "trainer-b", 15.0, 60.0, 45.0)],
            pt.Attempts.Select(a => (a.Attempt, a.Outcome, a.Trainer, a.StartSeconds!.Value, a.EndSeconds!.Value, a.DeviceSeconds)));
        Assert.Equal(SampleRun.FailureReason, pt.Attempts[0].Reason);
        Assert.Equal(15, report.Cost.LostDeviceSeconds);
        Assert.Equal(SampleRun.Metrics().DeviceSeconds, report.Cost.DeviceSeconds);
        Assert.All(report.Phases.Where(p => p.Phase != PhaseKey.Pretrain), p => Assert.Equal("completed", Assert.Single(p.Attempts).Outcome));
    }

    [Fact]
    public void Run_metadata_reads_the_version_and_commit_and_links_the_trace_of_the_traceparent()
    {
        var metadata = RunMetadata.Of("Completed", SampleRun.Start, SampleRun.Start.AddMinutes(5), $"00-{SampleRun.TraceId}-b7ad6b7169203331-01",
            "http://dashboard:18888/traces/detail/{traceId}");

        Assert.Equal(SampleRun.TraceId, metadata.TraceId);
        Assert.Equal($"http://dashboard:18888/traces/detail/{SampleRun.TraceId}", metadata.TraceUrl);
        Assert.False(string.IsNullOrEmpty(metadata.Version));
        Assert.Null(RunMetadata.Of("Completed", null, null, null, "http://dashboard/{traceId}").TraceUrl);
        Assert.Null(RunMetadata.TraceIdOf("garbage"));
    }
}
