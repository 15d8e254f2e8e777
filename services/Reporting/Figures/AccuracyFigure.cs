using ScottPlot;

namespace CloudAssembly.Reporting.Figures;

/// <summary>Top-1 of every network of the run: meta model, each module, the assembled model before and after FT, the baseline.</summary>
public static class AccuracyFigure
{
    public static ReportFigure Render(RunReport report)
    {
        var a = report.Accuracy;
        var entries = new List<(string Label, double Value)>();
        if (a.MetaModel is { } meta)
            entries.Add(("meta (PT)", meta));
        entries.AddRange(a.Modules.Select((m, i) => ($"MT_{i}", m)));
        if (a.AssembledBeforeFinetune is { } before)
            entries.Add(("assembled", before));
        entries.Add(("assembled + FT", a.Final));
        if (report.Baseline is { } baseline)
            entries.Add(("E2E baseline", baseline.BaselineAcc1));
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        plot.Add.Bars(entries.Select((e, i) => new Bar
        {
            Position = i,
            Value = e.Value,
            FillColor = palette.GetColor(i),
            Label = $"{e.Value:F1}",
        }).ToList());
        plot.Axes.Bottom.SetTicks([.. entries.Select((_, i) => (double)i)], [.. entries.Select(e => e.Label)]);
        plot.YLabel("top-1 (%)");
        plot.Axes.Margins(bottom: 0, top: 0.15);
        return ReportFigure.Render("accuracy", "Top-1 of every network the run trained, on the evaluation set.", plot);
    }
}
