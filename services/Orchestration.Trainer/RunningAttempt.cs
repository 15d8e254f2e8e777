namespace CloudAssembly.Orchestration.Trainer;

/// <summary>
/// An attempt this trainer runs: its run, how to stop it at once (<see cref="Stop"/>) or at its next step with a
/// checkpoint there (<see cref="Preempt"/>), whether it was stopped by a shutdown, and its task.
/// </summary>
public sealed class RunningAttempt(string runId, CancellationTokenSource stop)
{
    public string RunId => runId;

    public CancellationTokenSource Stop => stop;

    public CancellationTokenSource Preempt { get; } = new();

    public volatile bool Preempted;

    public Task? Done { get; set; }
}
