using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;

namespace CloudAssembly.Orchestration.Trainer;

/// <summary>A rank slot this trainer holds: the command rebuilt from <c>run.json</c>, its lease and the run's trace context.</summary>
public sealed record ClaimedAttempt(TrainPhase Command, PhaseLease Lease, string ETag, string? TraceParent);
