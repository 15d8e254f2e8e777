using CloudAssembly.Contracts;

namespace CloudAssembly.Reporting;

/// <summary>
/// What the run cost: device-seconds in all (every attempt of every phase, the lost ones included and also given apart),
/// the run's wall time, and the critical path — the chain of phases that bounds the wall time when every module has a
/// device of its own (PT, the slowest MT, FT, Eval; or the baseline, if longer).
/// </summary>
public sealed record CostLedger(double DeviceSeconds, double WallSeconds, IReadOnlyList<PhaseKey> CriticalPath, double CriticalPathSeconds,
    double LostDeviceSeconds = 0);
