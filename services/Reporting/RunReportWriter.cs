using System.Globalization;
using System.Text;
using System.Text.Json;
using CloudAssembly.Reporting.Figures;

namespace CloudAssembly.Reporting;

/// <summary>
/// Renders a run's report as files: <c>report.html</c> (self-contained), <c>report.json</c> (the numbers), and each
/// figure as <c>name.png</c> and <c>name.svg</c>. The caller decides where they go (blob storage, a folder).
/// </summary>
public static class RunReportWriter
{
    public const string HtmlFile = "report.html";
    public const string JsonFile = "report.json";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static IReadOnlyDictionary<string, byte[]> Render(RunReport report)
    {
        var figures = new List<ReportFigure>();
        figures.AddRange(LearningCurveFigures.Render(report));
        figures.Add(TimelineFigure.Render(report));
        figures.Add(AccuracyFigure.Render(report));
        if (CostAccuracyFigure.Render(report) is { } cost)
            figures.Add(cost);
        var files = new Dictionary<string, byte[]>
        {
            [HtmlFile] = Encoding.UTF8.GetBytes(Page(report, figures).ToString()),
            [JsonFile] = JsonSerializer.SerializeToUtf8Bytes(report, Json),
        };
        foreach (var figure in figures)
        {
            files[$"{figure.Name}.png"] = figure.Png;
            files[$"{figure.Name}.svg"] = Encoding.UTF8.GetBytes(figure.Svg);
        }
        return files;
    }

    /// <summary>Writes the files into <paramref name="folder"/>; returns the path of <c>report.html</c>.</summary>
    public static string WriteTo(IReadOnlyDictionary<string, byte[]> files, string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var (name, content) in files)
            File.WriteAllBytes(Path.Combine(folder, name), content);
        return Path.Combine(folder, HtmlFile);
    }

    private static ReportPage Page(RunReport report, IReadOnlyList<ReportFigure> figures)
    {
        var s = report.Spec;
        var a = report.Accuracy;
        var page = new ReportPage($"Run {report.RunId}: Deep Model Assembling report")
            .Paragraph($"{s.Model}, {s.NumModules} modules [{string.Join(' ', s.Depths)}], meta [{string.Join(' ', s.MetaDepths)}], " +
                $"{s.DataSet} ({(s.TrainLimit > 0 ? $"{s.TrainLimit:N0} training images" : "all training images")}), seed {s.Seed}.")
            .Paragraph($"Final top-1 {a.Final:F2}%" + (a.AssembledBeforeFinetune is { } before ? $"; {before:F2}% straight out of assembly." : "."));
        if (report.Baseline is { } b)
            page.Paragraph($"End-to-end baseline: top-1 {b.BaselineAcc1:F2}% for {b.BaselineDeviceSeconds:F0} device-seconds; " +
                $"Model Assembling: {b.AssemblingAcc1:F2}% for {b.AssemblingDeviceSeconds:F0} device-seconds (cost ratio {b.CostRatio:F2}).");
        page.Heading("Cost ledger").Table(["phase", "epochs", "start (s)", "end (s)", "wall (s)", "device-s", "top-1 (%)"],
            report.Phases.Select(p => (IReadOnlyList<string>)[p.Phase.ToString(), Text(p.Epochs), Text(p.StartSeconds), Text(p.EndSeconds),
                Text(p.WallSeconds), Text(p.DeviceSeconds), Text(p.Acc1)]));
        page.Paragraph($"{report.Cost.DeviceSeconds:F0} device-seconds in all; {report.Cost.WallSeconds:F0} s wall; critical path " +
            $"{string.Join(" → ", report.Cost.CriticalPath)}: {report.Cost.CriticalPathSeconds:F0} s.");
        page.Heading("Figures");
        foreach (var figure in figures)
            page.Figure(figure);
        page.Heading("Spec").Preformatted(JsonSerializer.Serialize(s, Json));
        return page;
    }

    private static string Text(double? value) => value is { } v ? v.ToString("F1", CultureInfo.InvariantCulture) : "–";

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
