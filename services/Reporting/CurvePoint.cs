namespace CloudAssembly.Reporting;

/// <summary>One epoch of a learning curve, with the device-seconds the phase had spent when it ended.</summary>
public sealed record CurvePoint(int Epoch, double TrainLoss, double TestAcc1, double TrainLr, double DeviceSeconds);
