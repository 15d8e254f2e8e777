using System.CommandLine;
using CloudAssembly.Cli.Progress;
using CloudAssembly.Contracts;
using CloudAssembly.Cli.Client;

namespace CloudAssembly.Cli.Commands.Cluster;

/// <summary><c>cloudassembly watch</c>: live progress of a run from its events, until it ends, then its table.</summary>
public static class WatchCommand
{
    // A run just submitted may not have its run.json yet: the Assembler creates it when it takes the SubmitRun.
    private static readonly TimeSpan SubmitPatience = TimeSpan.FromSeconds(30);

    public static Command Create()
    {
        var runId = new Option<string>("--run-id") { Description = "The run to follow.", Required = true };
        var command = new Command("watch", "Follow a run's progress until it completes, fails or is cancelled; Ctrl+C stops watching, not the run.")
        {
            runId, ClusterClient.Broker, StoreOptions.Store, StoreOptions.Container,
        };
        command.SetAction(parse => CommandErrors.Run(async ct =>
        {
            var id = parse.GetValue(runId)!;
            await using var client = await ClusterClient.ConnectAsync(parse, needsBroker: true);
            return await WatchAsync(client, id, ct);
        }, Interruption.RunContinues(parse.GetValue(runId)!)));
        return command;
    }

    public static async Task<int> WatchAsync(ClusterClient client, string runId, CancellationToken ct)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await client.Runs.TryGetAsync(runId, ct) is null)
        {
            if (await client.Runs.TryGetRefusalAsync(runId, ct) is { Refusal: var refusal })
                throw new ArgumentException($"Run '{runId}' was refused at {refusal.At:u}, so there is nothing to watch: {refusal.Reason}");
            if (waited.Elapsed > SubmitPatience)
                throw new ArgumentException($"Run '{runId}' does not exist in this store ({client.Blobs.Location}) after {SubmitPatience.TotalSeconds:F0} s: " +
                    "check that the CLI points at the cluster's storage and broker (the AppHost prints the lines to paste) and that the Assembler runs.");
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
        var outcome = await RunProgressDisplay.ShowAsync(async onEvent =>
        {
            await using var watcher = await RunWatcher.StartAsync(client.Bus, client.Runs, runId, onEvent);
            return await watcher.Outcome.WaitAsync(ct);
        });
        if (outcome is not RunCompleted completed)
            return CommandErrors.UserError;
        RunReport.Print(completed, Console.Out);
        return 0;
    }
}
