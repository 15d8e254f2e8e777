using System.Globalization;
using System.Text;
using System.Text.Json;
using CloudAssembly.Reporting.Figures;

namespace CloudAssembly.Reporting;

/// <summary>
/// Renders a run's report as files: <c>report.html</c> (self-contained: a run page with the run's metadata, cost ledger,
/// attempts, figures and spec), <c>report.json</c> (the numbers), and each figure as <c>name.png</c> and
/// <c>name.svg</c>. The caller decides where they go (blob storage, a folder).
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
        return Files(Page(report, figures), figures, JsonSerializer.SerializeToUtf8Bytes(report, Json));
    }

    /// <summary>A report's files: the page, its numbers, and every figure as PNG and SVG (the run page, the experiment and the comparison alike).</summary>
    public static IReadOnlyDictionary<string, byte[]> Files(ReportPage page, IReadOnlyList<ReportFigure> figures, byte[] json)
    {
        var files = new Dictionary<string, byte[]>
        {
            [HtmlFile] = Encoding.UTF8.GetBytes(page.ToString()),
            [JsonFile] = json,
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
        RunSection(page, report);
        page.Heading("Cost ledger").Table(["phase", "attempts", "epochs", "start (s)", "end (s)", "wall (s)", "device-s", "lost device-s", "top-1 (%)"],
            report.Phases.SelectMany(LedgerRows), row => row[0].StartsWith(LostPrefix, StringComparison.Ordinal));
        page.Paragraph($"{report.Cost.DeviceSeconds:F0} device-seconds in all, every attempt counted" +
            (report.Cost.LostDeviceSeconds > 0 ? $" ({report.Cost.LostDeviceSeconds:F0} of them lost to attempts that did not finish their phase)" : "") +
            $"; {report.Cost.WallSeconds:F0} s wall; critical path {string.Join(" → ", report.Cost.CriticalPath)}: {report.Cost.CriticalPathSeconds:F0} s.");
        var redispatched = report.Phases.SelectMany(p => p.Attempts.Where(t => t.IsLost).Select(t => (p.Phase, Attempt: t))).ToList();
        page.Heading("Attempts and re-dispatches");
        if (redispatched.Count == 0)
            page.Paragraph("Every phase finished on its first attempt.");
        else
            page.Table(["phase", "attempt", "ended", "trainer", "device-s lost", "reason"],
                redispatched.Select(r => (IReadOnlyList<string>)[r.Phase.ToString(), Text(r.Attempt.Attempt), r.Attempt.Outcome,
                    r.Attempt.Trainer ?? "–", Text(r.Attempt.DeviceSeconds), r.Attempt.Reason ?? ""]), text: true);
        page.Heading("Figures");
        foreach (var figure in figures)
            page.Figure(figure);
        page.Heading("Spec").Preformatted(JsonSerializer.Serialize(s, Json));
        return page;
    }

    private const string LostPrefix = "  attempt ";

    /// <summary>A phase's row (every attempt counted) and, under it, a row for each attempt that did not finish it.</summary>
    private static IEnumerable<IReadOnlyList<string>> LedgerRows(PhaseSummary p)
    {
        yield return [p.Phase.ToString(), Text(Math.Max(p.Attempts.Count, 1)), Text(p.Epochs), Text(p.StartSeconds), Text(p.EndSeconds),
            Text(p.WallSeconds), Text(p.DeviceSeconds), Text(p.LostDeviceSeconds), Text(p.Acc1)];
        foreach (var lost in p.Attempts.Where(t => t.IsLost))
            yield return [$"{LostPrefix}{lost.Attempt}: {lost.Outcome}", "", "", Text(lost.StartSeconds), Text(lost.EndSeconds), Text(lost.WallSeconds),
                Text(lost.DeviceSeconds), Text(lost.DeviceSeconds), ""];
    }

    /// <summary>The run itself: status, times, the code that ran it, who trained it, and its trace.</summary>
    private static void RunSection(ReportPage page, RunReport report)
    {
        var trainers = report.Phases.SelectMany(p => p.Attempts).Select(t => t.Trainer).OfType<string>().Distinct().Order(StringComparer.Ordinal);
        page.Heading("Run");
        var facts = new List<(string, string)>();
        if (report.Run is { } run)
        {
            facts.Add(("status", run.Status));
            facts.Add(("created", Time(run.CreatedAt)));
            facts.Add(("finished", Time(run.FinishedAt)));
            facts.Add(("version", run.Commit is null ? run.Version : $"{run.Version} (commit {run.Commit})"));
        }
        facts.Add(("wall", $"{report.Cost.WallSeconds:F0} s"));
        facts.Add(("trainers", string.Join(", ", trainers) is { Length: > 0 } names ? names : "–"));
        facts.Add(("attempts", $"{report.Phases.Sum(p => Math.Max(p.Attempts.Count, 1))} for {report.Phases.Count} phases; " +
            $"{report.Phases.Sum(p => p.Attempts.Count(t => t.IsLost))} re-dispatched, {report.Cost.LostDeviceSeconds:F0} device-s lost"));
        page.Facts(facts);
        if (report.Run?.TraceId is { } traceId)
        {
            if (report.Run.TraceUrl is { } url)
                page.Link($"Trace {traceId}: ", url, "open the run's trace");
            else
                page.Paragraph($"Trace {traceId} (no trace viewer was configured; look it up in the OTLP backend the services export to).");
        }
    }

    private static string Time(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "–";

    private static string Text(double? value) => value is { } v ? v.ToString("F1", CultureInfo.InvariantCulture) : "–";

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
