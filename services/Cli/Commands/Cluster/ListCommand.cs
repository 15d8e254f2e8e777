using System.CommandLine;

namespace CloudAssembly.Cli.Commands.Cluster;

/// <summary><c>cloudassembly list</c>: every run in the store, newest first.</summary>
public static class ListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "List the runs in a store.") { StoreOptions.Store, StoreOptions.Container };
        command.SetAction(parse => CommandErrors.Run(ct => Task.Run(async () =>
        {
            await using var client = await ClusterClient.ConnectAsync(parse, needsBroker: false);
            foreach (var run in (await client.Runs.ListAsync(ct)).OrderByDescending(r => r.CreatedAt))
                Console.WriteLine($"{run.RunId,-32} {run.Status,-16} {run.CreatedAt:u}  {run.Spec.Model}  " +
                    $"{(run.Metrics is { } m ? $"top-1 {m.Acc1:F2}%" : "")}");
            return 0;
        }).GetAwaiter().GetResult()));
        return command;
    }
}
