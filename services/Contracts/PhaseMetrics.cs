namespace CloudAssembly.Contracts;

/// <summary>
/// How a phase ended: accuracy of its network, epochs it trained, wall time and device time (its cost). Once the run
/// records the phase completed, epochs, wall and device time count every attempt; <paramref name="LostWallSeconds"/> and
/// <paramref name="LostDeviceSeconds"/> are the part spent by attempts that failed, were preempted or went silent.
/// </summary>
public sealed record PhaseMetrics(double Acc1, double Acc5, double Loss, int Epochs, double WallSeconds, double DeviceSeconds,
    double ImagesPerSecond, double? Acc1BeforeTraining = null, double LostWallSeconds = 0, double LostDeviceSeconds = 0);
