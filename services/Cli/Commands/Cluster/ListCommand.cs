using System.CommandLine;

namespace CloudAssembly.Cli.Commands.Cluster;

/// <summary><c>cloudassembly list</c>: every run in the store, newest first, refused ones with their reason.</summary>
public static class ListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "List the runs in a store.") { StoreOptions.Store, StoreOptions.Container };
        command.SetAction(parse => CommandErrors.Run(ct => Task.Run(async () =>
        {
            await using var client = await ClusterClient.ConnectAsync(parse, needsBroker: false);
            var runs = (await client.Runs.ListAsync(ct)).Select(run => (At: run.CreatedAt,
                Line: $"{run.RunId,-32} {run.Status,-16} {run.CreatedAt:u}  {run.Spec.Model}  {(run.Metrics is { } m ? $"top-1 {m.Acc1:F2}%" : "")}"));
            var refused = (await client.Runs.ListRefusalsAsync(ct)).Select(refusal => (refusal.At,
                Line: $"{refusal.RunId,-32} {"Refused",-16} {refusal.At:u}  {refusal.Reason}"));
            foreach (var (_, line) in runs.Concat(refused).OrderByDescending(r => r.At))
                Console.WriteLine(line);
            return 0;
        }).GetAwaiter().GetResult()));
        return command;
    }
}
