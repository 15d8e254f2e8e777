using System.Globalization;
using System.Text;
using System.Text.Json;
using CloudAssembly.Contracts;
using CloudAssembly.Reporting.Figures;

namespace CloudAssembly.Reporting.Experiments;

/// <summary>
/// The experiment's report: <c>report.html</c> with the table (mean ± sd over seeds) and the figures — top-1 against
/// cost for both methods, and top-1 against the fraction of training images — plus <c>report.json</c> with every trial.
/// </summary>
public static class ExperimentReport
{
    public static IReadOnlyDictionary<string, byte[]> Render(RunSpec spec, IReadOnlyList<ExperimentTrial> trials)
    {
        var summary = ExperimentSummary.Of(trials);
        var figures = new[] { ExperimentFigures.AccuracyVsCost(summary), ExperimentFigures.DataEfficiency(summary) };
        var page = new ReportPage("Model Assembling against end-to-end training at equal cost")
            .Paragraph($"{spec.Model}, {spec.NumModules} modules [{string.Join(' ', spec.Depths)}], {spec.DataSet}, " +
                $"{spec.TrainLimit:N0} training images at 100%; top-1 on the whole evaluation set. Cost: CPU-seconds of every phase " +
                "(the final evaluation excluded for both); the end-to-end baseline gets as many epochs as the assembling run cost.")
            .Heading("Results (mean ± sd over seeds)")
            .Table(["method", "budget", "data", "seeds", "epochs (FT / E2E)", "CPU-s", "top-1 (%)"], summary.Select(Row));
        foreach (var figure in figures)
            page.Figure(figure);
        return RunReportWriter.Files(page, figures, JsonSerializer.SerializeToUtf8Bytes(new { spec, summary, trials }, RunReportWriter.Json));
    }

    /// <summary>The table as Markdown, for docs/results.md.</summary>
    public static string Markdown(IReadOnlyList<ExperimentTrial> trials)
    {
        var text = new StringBuilder("| method | budget | data | seeds | epochs (FT / E2E) | CPU-s | top-1 (%) |\n|---|---|---|---|---|---|---|\n");
        foreach (var row in ExperimentSummary.Of(trials).Select(Row))
            text.Append("| ").AppendJoin(" | ", row).Append(" |\n");
        return text.ToString();
    }

    private static IReadOnlyList<string> Row(ExperimentSummary s) =>
    [
        s.Method, $"×{s.Budget}", $"{(s.DataFraction * 100).ToString("F0", CultureInfo.InvariantCulture)}%", s.Seeds.ToString(CultureInfo.InvariantCulture),
        s.MeanEpochs.ToString("0.#", CultureInfo.InvariantCulture),
        $"{s.MeanCpuSeconds.ToString("F0", CultureInfo.InvariantCulture)} ± {s.SdCpuSeconds.ToString("F0", CultureInfo.InvariantCulture)}",
        $"{s.MeanAcc1.ToString("F2", CultureInfo.InvariantCulture)} ± {s.SdAcc1.ToString("F2", CultureInfo.InvariantCulture)}",
    ];
}
