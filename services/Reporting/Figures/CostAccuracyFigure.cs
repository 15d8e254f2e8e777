using CloudAssembly.Contracts;
using ScottPlot;

namespace CloudAssembly.Reporting.Figures;

/// <summary>
/// Accuracy against device-seconds spent: the assembled model (from assembly on, after PT and the K modules have been
/// paid for) and the end-to-end baseline, epoch by epoch.
/// </summary>
public static class CostAccuracyFigure
{
    public static ReportFigure? Render(RunReport report)
    {
        var e2e = report.Phases.FirstOrDefault(p => p.Phase.Kind == PhaseKind.E2E);
        var ft = report.Phases.FirstOrDefault(p => p.Phase.Kind == PhaseKind.FT);
        if (e2e is null || ft is null)
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
        var plot = new Plot();
        plot.Add.Scatter(xs.ToArray(), ys.ToArray()).LegendText = "Model Assembling (assembled model during FT)";
        plot.Add.Scatter(e2e.Curve.Select(c => c.DeviceSeconds).ToArray(), e2e.Curve.Select(c => c.TestAcc1).ToArray()).LegendText = "end-to-end";
        plot.XLabel("device-seconds");
        plot.YLabel("eval top-1 (%)");
        plot.ShowLegend(Alignment.LowerRight);
        return ReportFigure.Render("accuracy-vs-cost", "Eval top-1 against device-seconds spent: Model Assembling and end-to-end training.", plot);
    }
}
