using CloudAssembly.Contracts;

namespace CloudAssembly.Reporting;

/// <summary>The numbers of a run's report, as <c>report.json</c> holds them.</summary>
public sealed record RunReport(string RunId, RunSpec Spec, IReadOnlyList<PhaseSummary> Phases, CostLedger Cost,
    AccuracySummary Accuracy, BaselineComparison? Baseline);
