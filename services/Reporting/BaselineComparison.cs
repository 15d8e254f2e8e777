namespace CloudAssembly.Reporting;

/// <summary>Model Assembling against the end-to-end baseline: accuracy and device-seconds of each; the ratio is assembling / baseline.</summary>
public sealed record BaselineComparison(double AssemblingAcc1, double AssemblingDeviceSeconds, double BaselineAcc1,
    double BaselineDeviceSeconds)
{
    public double? CostRatio => BaselineDeviceSeconds > 0 ? AssemblingDeviceSeconds / BaselineDeviceSeconds : null;
}
