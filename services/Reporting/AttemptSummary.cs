namespace CloudAssembly.Reporting;

/// <summary>
/// One attempt of a phase in the report: how it ended (completed, failed, preempted, lease expired), who ran it, when
/// (seconds from the first phase's start), what it cost and why it ended if it did not finish the phase.
/// </summary>
public sealed record AttemptSummary(int Attempt, string Outcome, string? Trainer, double? StartSeconds, double? EndSeconds, double WallSeconds,
    double DeviceSeconds, string? Reason)
{
    public const string Completed = "completed";

    public bool IsLost => Outcome != Completed;
}
