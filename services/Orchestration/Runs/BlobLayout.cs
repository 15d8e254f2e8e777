using CloudAssembly.Contracts;

namespace CloudAssembly.Orchestration.Runs;

/// <summary>
/// Blob names of a run (architecture.md): <c>runs/{id}/run.json</c>; per phase <c>runs/{id}/{phase}/checkpoint-{e}.pth</c>,
/// <c>finished_checkpoint.pth</c>, <c>log.txt</c> and the current attempt's <c>lease.json</c>; the assembled model
/// <c>runs/{id}/assembled/assembled.pth</c>; the report under <c>runs/{id}/report/</c>; and one marker per unfinished run under <c>active-runs/</c>, which the
/// watchdog lists instead of every run.
/// </summary>
public static class BlobLayout
{
    public const string ActivePrefix = "active-runs/";

    public static string Run(string runId) => $"runs/{runId}/run.json";

    public static string RunFolder(string runId) => $"runs/{runId}/";

    public static string PhaseFolder(string runId, string phase) => $"runs/{runId}/{phase}/";

    public static string Checkpoint(string runId, string phase, int epoch) => $"runs/{runId}/{phase}/checkpoint-{epoch}.pth";

    public static string Finished(string runId, string phase) => $"runs/{runId}/{phase}/finished_checkpoint.pth";

    public static string Log(string runId, string phase) => $"runs/{runId}/{phase}/log.txt";

    public static string Lease(string runId, string phase) => $"runs/{runId}/{phase}/lease.json";

    /// <summary>The run's report: <c>report.html</c>, <c>report.json</c> and the figures as PNG and SVG.</summary>
    public static string ReportFolder(string runId) => $"runs/{runId}/report/";

    public static string Report(string runId) => $"{ReportFolder(runId)}report.html";

    public static string Assembled(string runId) => $"runs/{runId}/assembled/assembled.pth";

    public static string Active(string runId) => $"{ActivePrefix}{runId}";

    public static string Finished(string runId, PhaseKey phase) => Finished(runId, phase.ToString());
}
