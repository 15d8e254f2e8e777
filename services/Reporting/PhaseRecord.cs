using CloudAssembly.Contracts;

namespace CloudAssembly.Reporting;

/// <summary>
/// What a report needs of one finished phase: when its finishing attempt ran and who ran it, how it ended (cost over
/// every attempt), its <c>log.txt</c> epoch by epoch, its <c>steps.txt</c> samples, and the attempts that did not finish it.
/// </summary>
public sealed record PhaseRecord(PhaseKey Phase, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt, PhaseMetrics Metrics,
    IReadOnlyList<EpochLog> Epochs)
{
    public IReadOnlyList<StepLog> Steps { get; init; } = [];
    public IReadOnlyList<LostAttempt> Lost { get; init; } = [];
    public string? Trainer { get; init; }
    public int Attempt { get; init; } = 1;

    /// <summary>The epochs of a <c>log.txt</c> (one JSON object a line); blank lines are skipped.</summary>
    public static IReadOnlyList<EpochLog> ParseLog(string text) =>
        [.. text.Split('\n').Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => EpochLog.FromJson(l)!)];
}
