using System.CommandLine;

namespace CloudAssembly.Cli.Commands.Cluster;

/// <summary><c>cloudassembly status</c>: a run's state as <c>run.json</c> records it, phase by phase.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var runId = new Option<string>("--run-id") { Description = "The run.", Required = true };
        var command = new Command("status", "Show a run's status and each phase's attempt, trainer and accuracy.") { runId, ClusterClient.Store, ClusterClient.Container };
        command.SetAction(parse => CommandErrors.Run(ct => Task.Run(async () =>
        {
            await using var client = await ClusterClient.ConnectAsync(parse, needsBroker: false);
            var id = parse.GetValue(runId)!;
            var run = (await client.Runs.TryGetAsync(id, ct))?.Run ?? throw new ArgumentException($"Run '{id}' does not exist in this store.");
            Console.WriteLine($"run {run.RunId}: {run.Status}  ({run.Spec.Model}, {run.Spec.NumModules} modules, created {run.CreatedAt:u}, updated {run.UpdatedAt:u})");
            if (run.Error is not null)
                Console.WriteLine($"  {run.Error}");
            Console.WriteLine($"  {"phase",-6} {"status",-11} {"attempt",7}  {"trainer",-22} {"top-1",7}");
            foreach (var (name, phase) in run.Phases)
                Console.WriteLine($"  {name,-6} {phase.Status,-11} {phase.Attempt,7}  {phase.Trainer ?? "-",-22} {(phase.Metrics is { Acc1: > 0 } m ? $"{m.Acc1:F2}%" : "-"),7}");
            return 0;
        }).GetAwaiter().GetResult()));
        return command;
    }
}
