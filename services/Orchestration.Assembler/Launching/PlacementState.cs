namespace CloudAssembly.Orchestration.Assembler.Launching;

/// <summary>Where a launched attempt stands on the cluster.</summary>
public enum PlacementState
{
    /// <summary>Not admitted yet (Kueue holds the Job suspended until the whole gang fits its quota).</summary>
    Waiting,

    /// <summary>Admitted: its pods are starting or running.</summary>
    Running,

    /// <summary>Every pod exited 0.</summary>
    Succeeded,

    /// <summary>The cluster took its pods away (a drain, a spot reclaim, a Kueue preemption) or a pod exited as preempted: no attempt is counted.</summary>
    Preempted,

    /// <summary>A pod failed, so the Job did.</summary>
    Failed,
}
