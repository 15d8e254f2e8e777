namespace CloudAssembly.Contracts;

/// <summary>
/// What a finished run reports: the assembled model's accuracy (and straight out of assembly), the baseline's if one
/// ran, and the cost per phase — wall time and device-seconds — with their totals.
/// </summary>
public sealed record RunMetrics(
    double Acc1,
    double Acc5,
    double? AssembledAcc1BeforeFinetune,
    double? BaselineAcc1,
    IReadOnlyDictionary<PhaseKey, PhaseMetrics> Phases,
    double WallSeconds,
    double DeviceSeconds);
