namespace CloudAssembly.Cli;

/// <summary>
/// What a command says when Ctrl+C or SIGTERM stops it, and how long it may take to put its work down first (a local
/// run keeps its checkpoints; a cluster command only stops listening, so it leaves at once). The message is read
/// when the signal comes, so a command whose work moves through stages (<see cref="Submitting"/>) tells where it stood.
/// </summary>
public sealed class Interruption(Func<string> message, TimeSpan grace)
{
    public Interruption(string message, TimeSpan grace) : this(() => message, grace)
    {
    }

    public string Message => message();

    public TimeSpan Grace => grace;

    private static readonly TimeSpan ListenerGrace = TimeSpan.FromMilliseconds(300);

    public static Interruption KeepsCheckpoints { get; } =
        new("cancelled: the last epoch checkpoint is kept; run the same command again to resume.", TimeSpan.FromSeconds(5));

    public static Interruption RunContinues(string runId) => new(ContinuesMessage(runId), ListenerGrace);

    /// <summary><c>submit</c>: whether the run was sent, and whether the Assembler had taken it, when the signal came.</summary>
    public static Interruption Submitting(string runId, Func<SubmitStage> stage) => new(() => stage() switch
    {
        SubmitStage.NotSent => $"stopped: nothing was submitted; run the same command again to submit run {runId}.",
        SubmitStage.Sending => $"stopped while sending run {runId}: it may or may not have been submitted; `cloudassembly status --run-id {runId}` tells.",
        SubmitStage.Sent => $"stopped: run {runId} was submitted but the Assembler had not answered yet; `cloudassembly status --run-id {runId}` tells whether it was accepted.",
        _ => ContinuesMessage(runId),
    }, ListenerGrace);

    private static string ContinuesMessage(string runId) =>
        $"stopped watching: the run continues in the cluster; `cloudassembly watch --run-id {runId}` to follow it again.";
}
