namespace CloudAssembly.Orchestration.Runs;

/// <summary>Where a run is: the stage of the method it is in, or how it ended.</summary>
public enum RunStatus
{
    PreparingData,
    Pretraining,
    TrainingModules,
    FineTuning,
    Evaluating,
    Completed,
    Failed,
    Cancelled,
}
