namespace CloudAssembly.Training.Distributed;

/// <summary>
/// This rank was not told to stop, but another rank of its phase was (SIGTERM on its node): the ranks agreed to stop
/// after the same step, whose checkpoint rank 0 saved. A preemption of the attempt, not a failure of this rank, so a
/// trainer reports it (and publishes that checkpoint) as it would its own preemption.
/// </summary>
public sealed class PeerPreemptedException()
    : OperationCanceledException("Another rank of this phase was preempted: every rank stopped after the same step, and rank 0 saved its checkpoint.");
