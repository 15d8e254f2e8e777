using System.CommandLine;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Client;

namespace CloudAssembly.Cli.Commands.Cluster;

/// <summary><c>cloudassembly watch</c>: live progress of a run from its events, until it ends, then its table.</summary>
public static class WatchCommand
{
    public static Command Create()
    {
        var runId = new Option<string>("--run-id") { Description = "The run to follow.", Required = true };
        var command = new Command("watch", "Follow a run's progress until it completes, fails or is cancelled.") { runId, ClusterClient.Broker, ClusterClient.Store, ClusterClient.Container };
        command.SetAction(parse => CommandErrors.Run(ct =>
        {
            var id = parse.GetValue(runId)!;
            return Task.Run(async () =>
            {
                await using var client = await ClusterClient.ConnectAsync(parse, needsBroker: true);
                return await WatchAsync(client, id, ct);
            }).GetAwaiter().GetResult();
        }));
        return command;
    }

    public static async Task<int> WatchAsync(ClusterClient client, string runId, CancellationToken ct)
    {
        // A run just submitted may not have its run.json yet: the Assembler creates it when it takes the SubmitRun.
        for (var waited = 0; await client.Runs.TryGetAsync(runId, ct) is null; waited++)
        {
            if (waited == 30)
                throw new ArgumentException($"Run '{runId}' does not exist in this store.");
            await Task.Delay(1000, ct);
        }
        var progress = new ConsoleRunProgress();
        await using var watcher = await RunWatcher.StartAsync(client.Bus, client.Runs, runId, progress.On);
        var outcome = await watcher.Outcome.WaitAsync(ct);
        if (outcome is not RunCompleted completed)
            return CommandErrors.UserError;
        RunReport.Print(completed, Console.Out);
        return 0;
    }
}
