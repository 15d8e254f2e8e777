using ScottPlot;
using CloudAssembly.Reporting.Figures;

namespace CloudAssembly.Reporting.Experiments;

/// <summary>The experiment's two figures: top-1 against CPU-seconds (all training images), and top-1 against the data fraction.</summary>
public static class ExperimentFigures
{
    public static ReportFigure AccuracyVsCost(IReadOnlyList<ExperimentSummary> summary)
    {
        var plot = new Plot();
        foreach (var method in summary.Select(s => s.Method).Distinct())
        {
            var rows = summary.Where(s => s.Method == method && s.DataFraction >= 1.0).OrderBy(s => s.MeanCpuSeconds).ToList();
            Line(plot, method, [.. rows.Select(r => r.MeanCpuSeconds)], rows);
        }
        plot.XLabel("CPU-seconds (mean over seeds)");
        plot.YLabel("top-1 (%), mean ± sd");
        plot.ShowLegend(Edge.Right);
        return ReportFigure.Render("accuracy-vs-cost", "Top-1 against training cost, mean ± sd over seeds, all training images.", plot);
    }

    public static ReportFigure DataEfficiency(IReadOnlyList<ExperimentSummary> summary)
    {
        var plot = new Plot();
        var budget = summary.Where(s => s.DataFraction < 1.0).Select(s => s.Budget).DefaultIfEmpty(summary.Min(s => s.Budget)).First();
        foreach (var method in summary.Select(s => s.Method).Distinct())
        {
            var rows = summary.Where(s => s.Method == method && s.Budget == budget).OrderBy(s => s.DataFraction).ToList();
            Line(plot, method, [.. rows.Select(r => r.DataFraction * 100)], rows);
        }
        plot.XLabel("training images (% of the set)");
        plot.YLabel("top-1 (%), mean ± sd");
        plot.ShowLegend(Edge.Right);
        return ReportFigure.Render("data-efficiency", $"Top-1 against the fraction of training images at budget ×{budget}, mean ± sd over seeds.", plot);
    }

    private static void Line(Plot plot, string method, double[] xs, IReadOnlyList<ExperimentSummary> rows)
    {
        var ys = rows.Select(r => r.MeanAcc1).ToArray();
        var line = plot.Add.Scatter(xs, ys);
        line.LegendText = method;
        var bars = plot.Add.ErrorBar(xs, ys, rows.Select(r => r.SdAcc1).ToArray());
        bars.Color = line.Color;
    }
}
