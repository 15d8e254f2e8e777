using CloudAssembly.Contracts;

namespace CloudAssembly.Reporting.Figures;

/// <summary>
/// Accuracy against device-seconds spent: the assembled model (from assembly on, after PT and the K modules have been
/// paid for, every attempt counted) and the end-to-end baseline, epoch by epoch.
/// </summary>
public static class CostAccuracyFigure
{
    public static ReportFigure? Render(RunReport report)
    {
        if (Assembling(report, "Model Assembling (assembled model during FT)") is not { } assembling
            || EndToEnd(report, "end-to-end") is not { } e2e)
            return null;
        return ReportFigure.Render("accuracy-vs-cost", "Eval top-1 against device-seconds spent: Model Assembling and end-to-end training.",
            CostPlot([assembling, e2e]));
    }

    /// <summary>Lines of eval top-1 over device-seconds, the legend outside the data.</summary>
    public static ScottPlot.Plot CostPlot(IEnumerable<Series> series)
    {
        var plot = new ScottPlot.Plot();
        foreach (var s in series)
            plot.Add.Scatter(s.Xs, s.Ys).LegendText = s.Label;
        plot.XLabel("device-seconds");
        plot.YLabel("eval top-1 (%)");
        plot.ShowLegend(ScottPlot.Edge.Right);
        return plot;
    }

    /// <summary>The assembled model's top-1 over the run's device-seconds: straight out of assembly, then each FT epoch; null without FT.</summary>
    public static Series? Assembling(RunReport report, string label)
    {
        if (report.Phases.FirstOrDefault(p => p.Phase.Kind == PhaseKind.FT) is not { } ft)
            return null;
        var paid = report.Phases.Where(p => p.Phase.Kind is PhaseKind.PT or PhaseKind.MT).Sum(p => p.DeviceSeconds);
        var xs = new List<double>();
        var ys = new List<double>();
        if (ft.Acc1BeforeTraining is { } before)
        {
            xs.Add(paid);
            ys.Add(before);
        }
        xs.AddRange(ft.Curve.Select(c => paid + c.DeviceSeconds));
        ys.AddRange(ft.Curve.Select(c => c.TestAcc1));
        return new Series(label, [.. xs], [.. ys]);
    }

    /// <summary>The end-to-end baseline's top-1 over its device-seconds, epoch by epoch; null without a baseline.</summary>
    public static Series? EndToEnd(RunReport report, string label) =>
        report.Phases.FirstOrDefault(p => p.Phase.Kind == PhaseKind.E2E) is { } e2e
            ? new Series(label, [.. e2e.Curve.Select(c => c.DeviceSeconds)], [.. e2e.Curve.Select(c => c.TestAcc1)])
            : null;
}
