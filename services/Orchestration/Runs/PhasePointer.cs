using CloudAssembly.Contracts;

namespace CloudAssembly.Orchestration.Runs;

/// <summary>
/// What a phase has published (<c>runs/{id}/{phase}/latest.json</c>): its newest epoch checkpoints (newest first, the
/// kept window), the checkpoint a preempted attempt saved inside the epoch after them (<see cref="Within"/>), its log, and once done its finished checkpoint and figures. <see cref="Attempt"/> is the fencing
/// token: the newest attempt that claimed the phase raises it before doing anything, and only that attempt may change
/// the pointer afterwards, so a replaced trainer can never publish. Resume and assembly read through it.
/// </summary>
public sealed record PhasePointer
{
    public int Attempt { get; init; }
    public IReadOnlyList<EpochCheckpoint> Checkpoints { get; init; } = [];
    public StepCheckpoint? Within { get; init; }
    public string? Log { get; init; }

    /// <summary>The step-level samples written with <see cref="Log"/> (<c>steps.txt</c>); null from attempts before it existed.</summary>
    public string? Steps { get; init; }
    public string? Finished { get; init; }
    public PhaseMetrics? Metrics { get; init; }
}
