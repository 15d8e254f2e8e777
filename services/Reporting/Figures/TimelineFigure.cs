using ScottPlot;

namespace CloudAssembly.Reporting.Figures;

/// <summary>When each phase ran, as a bar from its start to its end: the K modules side by side when they ran in parallel.</summary>
public static class TimelineFigure
{
    public static ReportFigure Render(RunReport report)
    {
        var timed = report.Phases.Where(p => p is { StartSeconds: not null, EndSeconds: not null }).ToList();
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var bars = plot.Add.Bars(timed.Select((p, i) => new Bar
        {
            Position = timed.Count - 1 - i,
            ValueBase = p.StartSeconds!.Value,
            Value = p.EndSeconds!.Value,
            FillColor = palette.GetColor(i),
            Label = $"{p.DeviceSeconds:F0} device-s",
        }).ToList());
        bars.Horizontal = true;
        plot.Axes.Left.SetTicks([.. timed.Select((_, i) => (double)(timed.Count - 1 - i))], [.. timed.Select(p => p.Phase.ToString())]);
        plot.XLabel("seconds since the first phase started");
        plot.Axes.Margins(left: 0, right: 0.15);
        return ReportFigure.Render("timeline", "Timeline: each phase from start to end, labelled with its device-seconds.", plot);
    }
}
