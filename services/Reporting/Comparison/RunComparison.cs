using System.Globalization;
using System.Text.Json;
using CloudAssembly.Contracts;
using CloudAssembly.Reporting.Figures;

namespace CloudAssembly.Reporting.Comparison;

/// <summary>
/// Several runs on one page (<c>cloudassembly report --compare</c>): a row per run (outcome, cost, accuracy), where their
/// specs differ from the first run's, and their curves overlaid — FT's train loss and eval top-1 over its epochs, and
/// the assembled model's top-1 against the device-seconds each run spent (each run's baseline beside it when it ran one).
/// </summary>
public static class RunComparison
{
    public static IReadOnlyDictionary<string, byte[]> Render(IReadOnlyList<RunReport> runs)
    {
        var finetunes = runs.Select(r => (r.RunId, Phase: r.Phases.FirstOrDefault(p => p.Phase.Kind == PhaseKind.FT))).Where(r => r.Phase is not null).ToList();
        var figures = new List<ReportFigure>
        {
            ReportFigure.Render("compare-ft-loss", "FT train loss per run, sampled every few steps.",
                EpochPlot.Lines(finetunes.Select(r => LearningCurveFigures.StepSeries(r.Phase!, s => s.TrainLoss, c => c.TrainLoss) with { Label = r.RunId }),
                    "train loss")),
            ReportFigure.Render("compare-ft-top1", "FT eval top-1 at the end of each epoch, per run.",
                EpochPlot.Lines(finetunes.Select(r => LearningCurveFigures.EpochSeries(r.Phase!, c => c.TestAcc1) with { Label = r.RunId }), "eval top-1 (%)")),
            ReportFigure.Render("compare-accuracy-vs-cost",
                "The assembled model's top-1 against the device-seconds each run spent (every attempt counted), and each run's end-to-end baseline.",
                CostAccuracyFigure.CostPlot(runs.SelectMany(r => new[]
                {
                    CostAccuracyFigure.Assembling(r, r.RunId), CostAccuracyFigure.EndToEnd(r, $"{r.RunId} end-to-end"),
                }).OfType<Series>())),
        };
        var page = new ReportPage($"Comparison of {string.Join(", ", runs.Select(r => r.RunId))}")
            .Table(["run", "status", "final top-1 (%)", "straight out of assembly (%)", "baseline top-1 (%)", "device-s", "lost device-s", "wall (s)", "version"],
                runs.Select(Row))
            .Heading($"Spec differences from {runs[0].RunId}");
        foreach (var run in runs.Skip(1))
            page.Paragraph($"{run.RunId}: " + (SpecDifferences.Between(runs[0].Spec, run.Spec) is { Count: > 0 } differences ? string.Join("; ", differences) : "the same spec"));
        page.Heading("Figures");
        foreach (var figure in figures)
            page.Figure(figure);
        return RunReportWriter.Files(page, figures, JsonSerializer.SerializeToUtf8Bytes(runs, RunReportWriter.Json));
    }

    private static IReadOnlyList<string> Row(RunReport r) =>
    [
        r.RunId, r.Run?.Status ?? "–", Text(r.Accuracy.Final), Text(r.Accuracy.AssembledBeforeFinetune), Text(r.Baseline?.BaselineAcc1),
        Text(r.Cost.DeviceSeconds), Text(r.Cost.LostDeviceSeconds), Text(r.Cost.WallSeconds), r.Run?.Commit is { } commit ? commit[..Math.Min(commit.Length, 10)] : r.Run?.Version ?? "–",
    ];

    private static string Text(double? value) => value is { } v ? v.ToString("F1", CultureInfo.InvariantCulture) : "–";
}
