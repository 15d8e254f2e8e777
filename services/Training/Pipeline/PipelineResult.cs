using CloudAssembly.Training.Engine;

namespace CloudAssembly.Training.Pipeline;

/// <summary>Every phase of one run, in the order it ran, and where the final model is.</summary>
public sealed record PipelineResult(IReadOnlyList<PhaseResult> Phases, double WallSeconds)
{
    public PhaseResult Assembled => Phases.Single(p => p.Phase == "FT");
}
