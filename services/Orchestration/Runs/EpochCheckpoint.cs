namespace CloudAssembly.Orchestration.Runs;

/// <summary>One epoch's checkpoint as a phase's pointer lists it: the epoch and the attempt-scoped blob holding it.</summary>
public sealed record EpochCheckpoint(int Epoch, string Blob);
