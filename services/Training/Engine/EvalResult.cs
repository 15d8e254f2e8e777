namespace CloudAssembly.Training.Engine;

/// <summary>Top-1 and top-5 accuracy (percent) and the mean cross-entropy over an evaluation set.</summary>
public sealed record EvalResult(double Acc1, double Acc5, double Loss, long Images);
