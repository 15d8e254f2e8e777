using ScottPlot;

namespace CloudAssembly.Reporting.Figures;

/// <summary>
/// When each phase ran, a row per phase and a bar per attempt from its start to its end: the K modules side by side when
/// they ran in parallel, and attempts that failed, were preempted or went silent in grey, labelled with what they lost.
/// </summary>
public static class TimelineFigure
{
    public static ReportFigure Render(RunReport report)
    {
        var rows = report.Phases.Where(p => p.Attempts.Any(Timed)).ToList();
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var lost = Colors.Gray.WithAlpha(0.6);
        var bars = plot.Add.Bars(rows.SelectMany((p, i) => p.Attempts.Where(Timed).Select(a => new Bar
        {
            Position = rows.Count - 1 - i,
            ValueBase = a.StartSeconds!.Value,
            Value = a.EndSeconds!.Value,
            FillColor = a.IsLost ? lost : palette.GetColor(i),
            Label = a.IsLost ? $"{a.Outcome}: {a.DeviceSeconds:F0} device-s lost" : $"{p.DeviceSeconds:F0} device-s",
        })).ToList());
        bars.Horizontal = true;
        plot.Axes.Left.SetTicks([.. rows.Select((_, i) => (double)(rows.Count - 1 - i))], [.. rows.Select(p => p.Phase.ToString())]);
        plot.XLabel("seconds since the first phase started");
        plot.Axes.Margins(left: 0, right: 0.2);
        return ReportFigure.Render("timeline",
            "Timeline: each phase's attempts from start to end, labelled with the phase's device-seconds (all attempts); lost attempts in grey.", plot);
    }

    private static bool Timed(AttemptSummary a) => a is { StartSeconds: not null, EndSeconds: not null };
}
