namespace CloudAssembly.Orchestration.Runs;

/// <summary>A trainer's claim on one attempt of a phase, renewed by heartbeats (<c>runs/{id}/{phase}/lease.json</c>).</summary>
public sealed record PhaseLease(string AttemptId, int Attempt, string Trainer, DateTimeOffset StartedAt, DateTimeOffset HeartbeatAt, int Epoch);
