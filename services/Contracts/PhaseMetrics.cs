namespace CloudAssembly.Contracts;

/// <summary>How a phase ended: accuracy of its network, epochs it trained, wall time and device time (its cost).</summary>
public sealed record PhaseMetrics(double Acc1, double Acc5, double Loss, int Epochs, double WallSeconds, double DeviceSeconds,
    double ImagesPerSecond, double? Acc1BeforeTraining = null);
