using CloudAssembly.Contracts;

namespace CloudAssembly.Orchestration.Assembler.Launching;

/// <summary>One launched attempt as the cluster shows it: its Job, the attempt it runs, its state and what the cluster says about it.</summary>
public sealed record PlacedAttempt(string Name, string RunId, PhaseKey Phase, string AttemptId, int Generation, PlacementState State, string? Detail)
{
    /// <summary>Whether its pods may still hold (or be about to hold) devices.</summary>
    public bool IsLive => State is PlacementState.Waiting or PlacementState.Running;
}
