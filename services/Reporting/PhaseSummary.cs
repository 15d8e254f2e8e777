using CloudAssembly.Contracts;

namespace CloudAssembly.Reporting;

/// <summary>
/// One phase in <c>report.json</c>: when it ran (seconds from the first phase's start, its first attempt to its end), its
/// wall and device time over every attempt (with what lost attempts spent), its accuracy (and before training, for FT),
/// its learning curve per epoch, its step-level samples and its attempts.
/// </summary>
public sealed record PhaseSummary(PhaseKey Phase, double? StartSeconds, double? EndSeconds, double WallSeconds, double DeviceSeconds,
    int Epochs, double Acc1, double Acc5, double? Acc1BeforeTraining, IReadOnlyList<CurvePoint> Curve)
{
    public double LostDeviceSeconds { get; init; }
    public IReadOnlyList<StepLog> Steps { get; init; } = [];
    public IReadOnlyList<AttemptSummary> Attempts { get; init; } = [];
}
