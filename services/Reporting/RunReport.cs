using CloudAssembly.Contracts;

namespace CloudAssembly.Reporting;

/// <summary>The numbers of a run's report, as <c>report.json</c> holds them; <see cref="Run"/> is null in reports written before it existed.</summary>
public sealed record RunReport(string RunId, RunSpec Spec, IReadOnlyList<PhaseSummary> Phases, CostLedger Cost,
    AccuracySummary Accuracy, BaselineComparison? Baseline)
{
    public RunMetadata? Run { get; init; }

    /// <summary>When the first phase started: the zero of every phase's start and end seconds.</summary>
    public DateTimeOffset? StartedAt { get; init; }
}
