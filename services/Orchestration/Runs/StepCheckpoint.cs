namespace CloudAssembly.Orchestration.Runs;

/// <summary>
/// The checkpoint a preempted attempt saved inside an epoch, as a phase's pointer lists it: after <c>Step</c> optimizer
/// steps of <c>Epoch</c>, in an attempt-scoped blob. The next attempt resumes at the next step.
/// </summary>
public sealed record StepCheckpoint(int Epoch, int Step, string Blob);
