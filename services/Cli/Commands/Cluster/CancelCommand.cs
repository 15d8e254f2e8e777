using System.CommandLine;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;

namespace CloudAssembly.Cli.Commands.Cluster;

/// <summary><c>cloudassembly cancel</c>: publish <c>CancelRun</c> for a run that exists; phases in flight stop and keep their checkpoints.</summary>
public static class CancelCommand
{
    public static Command Create()
    {
        var runId = new Option<string>("--run-id") { Description = "The run to cancel.", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why (recorded in run.json).", DefaultValueFactory = _ => "cancelled from the command line" };
        var command = new Command("cancel", "Cancel a run.") { runId, reason, ClusterClient.Broker, StoreOptions.Store, StoreOptions.Container };
        command.SetAction(parse => CommandErrors.Run(ct => Task.Run(async () =>
        {
            await using var client = await ClusterClient.ConnectAsync(parse, needsBroker: true);
            var id = parse.GetValue(runId)!;
            RunId.Validate(id);
            if (await client.Runs.TryGetAsync(id, ct) is null)
                throw new ArgumentException(await client.Runs.TryGetRefusalAsync(id, ct) is { Refusal: var refusal }
                    ? $"Run '{id}' was refused when it was submitted, so there is nothing to cancel: {refusal.Reason}"
                    : $"Run '{id}' does not exist in this store ({client.Blobs.Location}); nothing was cancelled: `cloudassembly list` shows the runs there.");
            await client.Bus.Publish(new CancelRun(id, parse.GetValue(reason)!), ct);
            Console.WriteLine($"cancel sent for run {id}");
            return 0;
        }).GetAwaiter().GetResult()));
        return command;
    }
}
