using System.CommandLine;
using CloudAssembly.Contracts;

namespace CloudAssembly.Cli.Commands.Cluster;

/// <summary><c>cloudassembly cancel</c>: publish <c>CancelRun</c>; phases in flight stop and keep their checkpoints.</summary>
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
            await client.Bus.Publish(new CancelRun(parse.GetValue(runId)!, parse.GetValue(reason)!), ct);
            Console.WriteLine($"cancel sent for run {parse.GetValue(runId)}");
            return 0;
        }).GetAwaiter().GetResult()));
        return command;
    }
}
