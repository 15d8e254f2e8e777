using ScottPlot;

namespace CloudAssembly.Reporting.Figures;

/// <summary>
/// Lines over a phase's epochs: the x axis is in epochs (a step sample sits at its fraction of the epoch) ticked at whole
/// epochs only, and the legend stands outside the data, on the right, so it never covers a line's last point.
/// </summary>
public static class EpochPlot
{
    private const int MaxTicks = 12;

    /// <summary>
    /// The lines over epochs; with <paramref name="fromZero"/> (an lr, a throughput) the y axis starts at 0, so a constant
    /// value shows as a level line at its height rather than at the middle of an arbitrary range.
    /// </summary>
    public static Plot Lines(IEnumerable<Series> series, string yLabel, string xLabel = "epoch", bool fromZero = false)
    {
        var plot = new Plot();
        var last = 1.0;
        var highest = 0.0;
        foreach (var s in series.Where(s => s.Xs.Length > 0))
        {
            var line = plot.Add.Scatter(s.Xs, s.Ys);
            line.LegendText = s.Label;
            line.MarkerSize = s.Xs.Length > 20 ? 0 : 5;
            last = Math.Max(last, s.Xs.Max());
            highest = Math.Max(highest, s.Ys.Max());
        }
        WholeEpochTicks(plot, last);
        if (fromZero && highest > 0)
            plot.Axes.SetLimitsY(0, highest * 1.1);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    /// <summary>Ticks at 0, 1, 2, … (every k-th epoch when there are many), never at fractions of an epoch.</summary>
    public static void WholeEpochTicks(Plot plot, double lastEpoch)
    {
        var end = (int)Math.Ceiling(lastEpoch);
        var every = Math.Max(1, (int)Math.Ceiling(end / (double)MaxTicks));
        var ticks = Enumerable.Range(0, end / every + 1).Select(i => (double)(i * every)).ToArray();
        plot.Axes.Bottom.SetTicks(ticks, [.. ticks.Select(t => t.ToString("0", System.Globalization.CultureInfo.InvariantCulture))]);
        plot.Axes.SetLimitsX(0, Math.Max(end, 1));
    }
}
