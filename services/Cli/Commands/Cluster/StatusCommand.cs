using System.CommandLine;
using CloudAssembly.Orchestration.Runs;

namespace CloudAssembly.Cli.Commands.Cluster;

/// <summary><c>cloudassembly status</c>: a run's state as <c>run.json</c> records it, phase by phase, or why it was refused.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var runId = new Option<string>("--run-id") { Description = "The run.", Required = true };
        var command = new Command("status", "Show a run's status and each phase's attempt, trainer and accuracy.") { runId, StoreOptions.Store, StoreOptions.Container };
        command.SetAction(parse => CommandErrors.Run(ct => Task.Run(async () =>
        {
            await using var client = await ClusterClient.ConnectAsync(parse, needsBroker: false);
            var id = parse.GetValue(runId)!;
            if (await client.Runs.TryGetAsync(id, ct) is not { Run: var run })
            {
                var refusal = (await client.Runs.TryGetRefusalAsync(id, ct))?.Refusal
                              ?? throw new ArgumentException($"Run '{id}' does not exist in this store ({client.Blobs.Location}).");
                Console.WriteLine($"run {id}: Refused  (at {refusal.At:u})");
                Console.WriteLine($"  {refusal.Reason}");
                return 0;
            }
            Console.WriteLine($"run {run.RunId}: {run.Status}  ({run.Spec.Model}, {run.Spec.NumModules} modules, created {run.CreatedAt:u}, updated {run.UpdatedAt:u})");
            if (run.Error is not null)
                Console.WriteLine($"  {run.Error}");
            Console.WriteLine($"  {"phase",-6} {"status",-11} {"attempt",7}  {"trainer",-24} {"top-1",7}  note");
            foreach (var (name, phase) in run.Phases)
                Console.WriteLine($"  {name,-6} {Status(run, phase),-11} {phase.Attempt,7}  {Trainer(phase),-24} " +
                    $"{(phase.Metrics is { Acc1: > 0 } m ? $"{m.Acc1:F2}%" : "-"),7}  {Note(phase)}");
            return 0;
        }, ct).GetAwaiter().GetResult()));
        return command;
    }

    /// <summary>A phase still marked active in a finished run was stopped with it (run.json keeps its last state).</summary>
    private static string Status(RunDocument run, PhaseState phase) =>
        run.IsFinished && phase.IsActive ? "Stopped" : phase.Status.ToString();

    /// <summary>The trainer of the current attempt: none yet while it waits for one (the one recorded ran an earlier attempt).</summary>
    private static string Trainer(PhaseState phase) =>
        phase.Status is PhaseStatus.Pending or PhaseStatus.Dispatched ? "-" : phase.Trainer ?? "-";

    private static string Note(PhaseState phase) => phase switch
    {
        { Status: PhaseStatus.Failed, Error: { } error } => error,
        { IsActive: true, Waiting: { } waiting } => waiting,
        { Status: not PhaseStatus.Completed, Error: { } error } => $"previous attempt: {error}",
        _ => "",
    };
}
