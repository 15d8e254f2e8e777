namespace CloudAssembly.Reporting.Experiments;

/// <summary>
/// One trained model of an experiment: its method (Model Assembling or end-to-end), budget, seed and data fraction, the
/// epochs of its last phase (FT, or E2E), what it cost (CPU-seconds of every phase, and wall) and its top-1 on the
/// whole evaluation set (the final evaluation is not part of the cost, for either method).
/// </summary>
public sealed record ExperimentTrial(string Method, int Budget, int Seed, double DataFraction, int Epochs, double CpuSeconds,
    double WallSeconds, double Acc1)
{
    public const string Assembling = "Model Assembling";
    public const string EndToEnd = "end-to-end";
}
