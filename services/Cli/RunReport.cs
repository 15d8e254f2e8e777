using CloudAssembly.Training.Pipeline;

namespace CloudAssembly.Cli;

/// <summary>The table printed at the end of a run: per phase its epochs, wall time, throughput and accuracy.</summary>
public static class RunReport
{
    public static void Print(PipelineResult result, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"{"phase",-8}{"epochs",7}{"wall",10}{"img/s",9}{"top-1",9}{"top-5",9}");
        foreach (var p in result.Phases)
        {
            var epochs = p.AlreadyFinished ? "done" : p.EpochsTrained.ToString(System.Globalization.CultureInfo.InvariantCulture);
            output.WriteLine($"{p.Phase,-8}{epochs,7}{p.WallSeconds,9:F1}s{p.TrainImagesPerSecond,9:F0}" +
                $"{Percent(p.FinalEval?.Acc1),9}{Percent(p.FinalEval?.Acc5),9}");
        }
        var ft = result.Assembled;
        if (ft.InitialEval is { } before)
            output.WriteLine($"assembled model: top-1 {before.Acc1:F2}% straight out of assembly, {ft.FinalEval?.Acc1:F2}% after fine-tuning");
        else
            output.WriteLine($"assembled model: top-1 {ft.FinalEval?.Acc1:F2}% after fine-tuning");
        output.WriteLine($"total wall time: {TimeSpan.FromSeconds(result.WallSeconds):m\\:ss} (m:ss)");
        output.WriteLine($"final model: {ft.FinishedCheckpoint}");
    }

    private static string Percent(double? value) => value is { } v ? $"{v:F2}%" : "-";
}
