using CloudAssembly.Contracts;

namespace CloudAssembly.Reporting;

/// <summary>What a report needs of one finished phase: when it ran, how it ended, and its <c>log.txt</c> epoch by epoch.</summary>
public sealed record PhaseRecord(PhaseKey Phase, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt, PhaseMetrics Metrics,
    IReadOnlyList<EpochLog> Epochs)
{
    /// <summary>The epochs of a <c>log.txt</c> (one JSON object a line); blank lines are skipped.</summary>
    public static IReadOnlyList<EpochLog> ParseLog(string text) =>
        [.. text.Split('\n').Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => EpochLog.FromJson(l)!)];
}
