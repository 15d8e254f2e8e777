using ScottPlot;

namespace CloudAssembly.Reporting.Figures;

/// <summary>Train loss and eval top-1 per epoch, a line per phase (every network the run trained).</summary>
public static class LearningCurveFigures
{
    public static IEnumerable<ReportFigure> Render(RunReport report)
    {
        var trained = report.Phases.Where(p => p.Curve.Count > 0).ToList();
        yield return ReportFigure.Render("train-loss", "Train loss per epoch, per phase.",
            Lines(trained, c => c.TrainLoss, "train loss"));
        yield return ReportFigure.Render("eval-top1", "Eval top-1 per epoch, per phase (each phase evaluates its own network).",
            Lines(trained, c => c.TestAcc1, "eval top-1 (%)"));
    }

    private static Plot Lines(IReadOnlyList<PhaseSummary> phases, Func<CurvePoint, double> value, string label)
    {
        var plot = new Plot();
        foreach (var phase in phases)
        {
            var line = plot.Add.Scatter(phase.Curve.Select(c => (double)c.Epoch + 1).ToArray(), phase.Curve.Select(value).ToArray());
            line.LegendText = phase.Phase.ToString();
        }
        plot.XLabel("epoch");
        plot.YLabel(label);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
