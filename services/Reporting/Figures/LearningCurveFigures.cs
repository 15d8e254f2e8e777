namespace CloudAssembly.Reporting.Figures;

/// <summary>
/// A line per phase (every network the run trained), over its epochs: the train loss, lr and throughput step by step
/// (sampled, from <c>steps.txt</c>; per epoch for phases without one), and the eval top-1 at each epoch's end.
/// </summary>
public static class LearningCurveFigures
{
    public static IEnumerable<ReportFigure> Render(RunReport report)
    {
        var trained = report.Phases.Where(p => p.Curve.Count > 0 || p.Steps.Count > 0).ToList();
        yield return ReportFigure.Render("train-loss", "Train loss per phase, sampled every few steps (mean over the steps since the previous sample).",
            EpochPlot.Lines(trained.Select(p => StepSeries(p, s => s.TrainLoss, c => c.TrainLoss)), "train loss"));
        yield return ReportFigure.Render("eval-top1", "Eval top-1 at the end of each epoch, per phase (each phase evaluates its own network).",
            EpochPlot.Lines(trained.Select(p => EpochSeries(p, c => c.TestAcc1)), "eval top-1 (%)"));
        yield return ReportFigure.Render("lr", "Learning rate per phase, as its schedule set it step by step.",
            EpochPlot.Lines(trained.Select(p => StepSeries(p, s => s.TrainLr, c => c.TrainLr)), "lr", fromZero: true));
        yield return ReportFigure.Render("throughput", "Training throughput per phase (images per second, all ranks), sampled every few steps.",
            EpochPlot.Lines(trained.Where(p => p.Steps.Count > 0).Select(p => StepSeries(p, s => s.TrainImagesPerSecond, _ => 0)), "images / s",
                fromZero: true));
    }

    /// <summary>The phase's step samples at their place in the epoch; per epoch (at its end) when the phase has none.</summary>
    public static Series StepSeries(PhaseSummary phase, Func<Contracts.StepLog, double> step, Func<CurvePoint, double> epoch) =>
        phase.Steps.Count > 0
            ? new Series(phase.Phase.ToString(), [.. phase.Steps.Select(s => s.EpochPosition)], [.. phase.Steps.Select(step)])
            : EpochSeries(phase, epoch);

    public static Series EpochSeries(PhaseSummary phase, Func<CurvePoint, double> value) =>
        new(phase.Phase.ToString(), [.. phase.Curve.Select(c => c.Epoch + 1.0)], [.. phase.Curve.Select(value)]);
}
