namespace CloudAssembly.Orchestration.Runs;

/// <summary>
/// How one rank of a phase attempt ended, and the exit code a one-shot trainer (a pod of the attempt's Kubernetes Job)
/// leaves with, so the Job's <c>podFailurePolicy</c> can tell a preemption, which costs no attempt, from a failure.
/// </summary>
public enum AttemptEnd
{
    /// <summary>Trained its share; node 0 also reported the phase completed.</summary>
    Completed = 0,

    /// <summary>Failed and reported it (the run's retry policy decides what follows).</summary>
    Failed = 1,

    /// <summary>Stopped by SIGTERM after a checkpoint, and reported itself preempted.</summary>
    Preempted = 10,

    /// <summary>Not (or no longer) the attempt's to run: the run was cancelled, the attempt replaced or its slot taken.</summary>
    Stopped = 11,
}
