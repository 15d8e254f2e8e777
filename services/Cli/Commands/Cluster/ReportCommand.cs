using System.CommandLine;
using CloudAssembly.Orchestration.Assembler;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Reporting;
using CloudAssembly.Reporting.Comparison;

namespace CloudAssembly.Cli.Commands.Cluster;

/// <summary>
/// <c>cloudassembly report</c>: a completed run's page rendered afresh from the store (linking its trace on the dashboard
/// that <c>CLOUDASSEMBLY_DASHBOARD</c> names), or, with <c>--compare</c>, several runs overlaid on one page.
/// </summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var runId = new Option<string?>("--run-id") { Description = "The run whose page to render." };
        var compare = new Option<string[]>("--compare") { Description = "Runs to overlay on one page (two or more).", AllowMultipleArgumentsPerToken = true };
        var to = new Option<string?>("--to") { Description = "Folder for report.html and its figures (default: report-{run}, or compare-{first run})." };
        var command = new Command("report", "Render a completed run's report, or compare runs on one page.")
        {
            runId, compare, to, StoreOptions.Store, StoreOptions.Container,
        };
        command.SetAction(parse => CommandErrors.Run(ct => Task.Run(async () =>
        {
            var ids = parse.GetValue(compare) is { Length: > 0 } several ? several
                : parse.GetValue(runId) is { } one ? [one]
                : throw new ArgumentException("Name a run with --run-id RUN, or runs to compare with --compare RUN RUN….");
            if (parse.GetValue(compare) is { Length: 1 })
                throw new ArgumentException("--compare needs two or more runs; for one run's page use --run-id.");
            await using var client = await ClusterClient.ConnectAsync(parse, needsBroker: false);
            var publisher = new RunReportPublisher(client.Blobs, new PointerStore(client.Blobs), new AssemblerOptions());
            var reports = new List<Reporting.RunReport>();
            foreach (var id in ids)
                reports.Add(await publisher.ReadAsync(await CompletedAsync(client, id, ct), TraceUrl, ct));
            var files = reports.Count == 1 ? RunReportWriter.Render(reports[0]) : RunComparison.Render(reports);
            var folder = parse.GetValue(to) ?? (reports.Count == 1 ? $"report-{ids[0]}" : $"compare-{ids[0]}");
            Console.WriteLine($"report: {Path.GetFullPath(RunReportWriter.WriteTo(files, folder))}");
            return 0;
        }, ct).GetAwaiter().GetResult()));
        return command;
    }

    /// <summary>The dashboard's page of a trace, with <c>{traceId}</c> to fill in, when the environment names the dashboard.</summary>
    private static string? TraceUrl => Environment.GetEnvironmentVariable(ClusterClient.DashboardVariable) is { Length: > 0 } dashboard
        ? $"{dashboard.TrimEnd('/')}/traces/detail/{{traceId}}"
        : null;

    private static async Task<RunDocument> CompletedAsync(ClusterClient client, string id, CancellationToken ct) =>
        await client.Runs.TryGetAsync(id, ct) switch
        {
            null => throw new ArgumentException(
                $"Run '{id}' does not exist in this store ({client.Blobs.Location}); check the run id with `cloudassembly list`."),
            { Run: { Status: RunStatus.Completed, Metrics: not null } run } => run,
            { Run: var run } => throw new ArgumentException(
                $"Run '{id}' is {run.Status}, not completed; a report needs a completed run (see `cloudassembly status --run-id {id}`)."),
        };
}
