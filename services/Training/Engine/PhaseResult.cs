namespace CloudAssembly.Training.Engine;

/// <summary>How a phase ended: its final evaluation, how long it ran and where its finished checkpoint is.</summary>
public sealed record PhaseResult(
    string Phase,
    int EpochsTrained,
    EvalResult? FinalEval,
    double WallSeconds,
    double TrainImagesPerSecond,
    string? FinishedCheckpoint,
    bool AlreadyFinished,
    EvalResult? InitialEval = null);
