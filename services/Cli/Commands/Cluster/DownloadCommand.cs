using System.CommandLine;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Reporting;

namespace CloudAssembly.Cli.Commands.Cluster;

/// <summary><c>cloudassembly download</c>: a run's checkpoints and logs (or one phase's) into a local folder, same layout.</summary>
public static class DownloadCommand
{
    public static Command Create()
    {
        var runId = new Option<string>("--run-id") { Description = "The run.", Required = true };
        var phase = new Option<string?>("--phase") { Description = "Only this phase (PT, MT_0, ..., FT, assembled); default: all." };
        var report = new Option<bool>("--report") { Description = "Only the run's report (report.html, report.json, the figures as PNG and SVG)." };
        var to = new Option<string>("--to") { Description = "Local folder.", DefaultValueFactory = _ => "." };
        var command = new Command("download", "Download a run's checkpoints, logs and run.json.") { runId, phase, report, to, StoreOptions.Store, StoreOptions.Container };
        command.SetAction(parse => CommandErrors.Run(ct => Task.Run(async () =>
        {
            await using var client = await ClusterClient.ConnectAsync(parse, needsBroker: false);
            var id = parse.GetValue(runId)!;
            var prefix = parse.GetValue(report) ? BlobLayout.ReportFolder(id)
                : parse.GetValue(phase) is { } p ? BlobLayout.PhaseFolder(id, PhaseKey.Parse(p)) : BlobLayout.RunFolder(id);
            var count = 0;
            await foreach (var blob in client.Blobs.ListAsync(prefix, ct))
            {
                var local = Path.Combine(parse.GetValue(to)!, blob.Name);
                await client.Blobs.DownloadFileAsync(blob.Name, local, ct);
                Console.WriteLine($"{blob.Size,14:N0}  {local}");
                count++;
            }
            if (count == 0)
                throw new ArgumentException($"Nothing under '{prefix}' in this store.");
            if (parse.GetValue(report))
                Console.WriteLine($"report: {Path.GetFullPath(Path.Combine(parse.GetValue(to)!, prefix, RunReportWriter.HtmlFile))}");
            return 0;
        }).GetAwaiter().GetResult()));
        return command;
    }
}
