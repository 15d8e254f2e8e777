namespace CloudAssembly.Contracts;

/// <summary>
/// What a finished run reports: the assembled model's accuracy (and straight out of assembly), the baseline's if one
/// ran, and the cost per phase — wall time and device-seconds, every attempt counted — with their totals;
/// <paramref name="LostDeviceSeconds"/> is the part of the total that attempts which did not finish spent.
/// </summary>
public sealed record RunMetrics(
    double Acc1,
    double Acc5,
    double? AssembledAcc1BeforeFinetune,
    double? BaselineAcc1,
    IReadOnlyDictionary<PhaseKey, PhaseMetrics> Phases,
    double WallSeconds,
    double DeviceSeconds,
    double LostDeviceSeconds = 0);
