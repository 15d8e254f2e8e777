using CloudAssembly.Contracts;

namespace CloudAssembly.Cli;

/// <summary>
/// The table printed when a run completes: per phase its epochs, wall and device time (every attempt counted, and what
/// attempts that did not finish spent shown apart as lost), throughput (all ranks) and accuracy; with the run's spec,
/// also each phase's effective batch (ranks × batch × update_freq).
/// </summary>
public static class RunReport
{
    public static void Print(RunCompleted completed, TextWriter output, RunSpec? spec = null)
    {
        var m = completed.Metrics;
        output.WriteLine();
        output.WriteLine($"{"phase",-7}{"epochs",7}{"wall",10}{"device",10}{"lost",10}{"img/s",9}{"top-1",9}{"top-5",9}");
        foreach (var (phase, p) in m.Phases.OrderBy(p => p.Key))
            output.WriteLine($"{phase,-7}{p.Epochs,7}{p.WallSeconds,9:F1}s{p.DeviceSeconds,9:F1}s{p.LostDeviceSeconds,9:F1}s{p.ImagesPerSecond,9:F0}" +
                $"{p.Acc1,8:F2}%{p.Acc5,8:F2}%");
        if (m.AssembledAcc1BeforeFinetune is { } before)
            output.WriteLine($"assembled model: top-1 {before:F2}% straight out of assembly, {m.Acc1:F2}% after fine-tuning (top-5 {m.Acc5:F2}%)");
        else
            output.WriteLine($"assembled model: top-1 {m.Acc1:F2}% (top-5 {m.Acc5:F2}%)");
        if (m.BaselineAcc1 is { } baseline)
            output.WriteLine($"end-to-end baseline: top-1 {baseline:F2}%");
        if (spec is not null)
            output.WriteLine($"effective batch (ranks x batch x update_freq): PT {Batch(spec.Pretrain)}, MT {Batch(spec.Modules)}, FT {Batch(spec.Finetune)}" +
                (spec.Baseline is { } e2e ? $", E2E {Batch(e2e)}" : ""));
        output.WriteLine($"run {completed.RunId}: {TimeSpan.FromSeconds(m.WallSeconds):m\\:ss} wall (m:ss), {m.DeviceSeconds:F0} device-seconds" +
            (m.LostDeviceSeconds > 0 ? $", {m.LostDeviceSeconds:F0} of them lost to attempts that failed or were preempted" : ""));
    }

    private static string Batch(PhaseRecipe r) => $"{r.WorldSize} x {r.BatchSize} x {r.UpdateFreq} = {r.EffectiveBatch}";
}
