namespace CloudAssembly.Orchestration.Runs;

public enum PhaseStatus
{
    Pending,
    Dispatched,
    Running,
    Completed,
    Failed,
}
