using CloudAssembly.Contracts;

namespace CloudAssembly.Reporting;

/// <summary>
/// One phase in <c>report.json</c>: when it ran (seconds from the first phase's start), its wall and device time, its
/// accuracy (and before training, for FT) and its learning curve.
/// </summary>
public sealed record PhaseSummary(PhaseKey Phase, double? StartSeconds, double? EndSeconds, double WallSeconds, double DeviceSeconds,
    int Epochs, double Acc1, double Acc5, double? Acc1BeforeTraining, IReadOnlyList<CurvePoint> Curve)
{
    /// <summary>Which of the run's jobs this is (<see cref="Phase"/> is its <see cref="PhaseKey"/> text).</summary>
}
