namespace CloudAssembly.Cli;

/// <summary>
/// What a command says when Ctrl+C or SIGTERM stops it, and how long it may take to put its work down first (a local
/// run keeps its checkpoints; a cluster command only stops listening, so it leaves at once).
/// </summary>
public sealed record Interruption(string Message, TimeSpan Grace)
{
    public static Interruption KeepsCheckpoints { get; } =
        new("cancelled: the last epoch checkpoint is kept; run the same command again to resume.", TimeSpan.FromSeconds(5));

    public static Interruption RunContinues(string runId) =>
        new($"stopped watching: the run continues in the cluster; `cloudassembly watch --run-id {runId}` to follow it again.",
            TimeSpan.FromMilliseconds(300));
}
