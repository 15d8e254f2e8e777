using ScottPlot;

namespace CloudAssembly.Reporting.Figures;

/// <summary>
/// When each phase ran, a row per phase and a bar per attempt from its start to its end: the K modules side by side when
/// they ran in parallel, and attempts that failed, were preempted or went silent in light grey.
/// </summary>
public static class TimelineFigure
{
    /// <summary>Category10 without its grey, which a lost attempt's light grey could be taken for.</summary>
    private static readonly int[] PhaseColors = [0, 1, 2, 3, 4, 5, 6, 8, 9];

    public static ReportFigure Render(RunReport report)
    {
        var rows = report.Phases.Where(p => p.Attempts.Any(Timed)).ToList();
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var lost = Colors.Gray.WithAlpha(0.4);
        var bars = plot.Add.Bars(rows.SelectMany((p, i) => p.Attempts.Where(Timed).Select(a => new Bar
        {
            Position = rows.Count - 1 - i,
            ValueBase = a.StartSeconds!.Value,
            Value = a.EndSeconds!.Value,
            FillColor = a.IsLost ? lost : palette.GetColor(PhaseColors[i % PhaseColors.Length]),
            // One label a row, at its right end: the phase's cost, every attempt counted.
            Label = a.IsLost ? "" : $"{p.DeviceSeconds:F0} device-s" + (p.LostDeviceSeconds > 0 ? $" ({p.LostDeviceSeconds:F0} lost)" : ""),
        })).ToList());
        bars.Horizontal = true;
        plot.Axes.Left.SetTicks([.. rows.Select((_, i) => (double)(rows.Count - 1 - i))], [.. rows.Select(p => p.Phase.ToString())]);
        plot.XLabel("seconds since the first phase started");
        plot.Axes.Margins(left: 0, right: 0.25);
        if (rows.Any(p => p.Attempts.Any(a => a.IsLost)))
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "attempt lost (failed, preempted or silent)", FillColor = lost });
            plot.ShowLegend(Edge.Bottom);
        }
        return ReportFigure.Render("timeline",
            "Timeline: each phase's attempts from start to end, labelled with the phase's device-seconds (every attempt counted); lost attempts in grey.", plot);
    }

    private static bool Timed(AttemptSummary a) => a is { StartSeconds: not null, EndSeconds: not null };
}
