namespace CloudAssembly.Orchestration.Runs;

/// <summary>
/// A trainer's claim on one rank of one attempt of a phase (<c>runs/{id}/{phase}/lease-{rank}.json</c>), renewed by
/// heartbeats. <see cref="Beats"/> and <see cref="Progress"/> change with every renewal and every step trained; the
/// watchdog judges the lease by whether they (and the blob's ETag) change, timed on its own clock, never by the times
/// written here, which are for people reading the blob.
/// </summary>
public sealed record PhaseLease(string AttemptId, int Attempt, string Trainer, DateTimeOffset StartedAt, DateTimeOffset HeartbeatAt,
    long Beats = 0, long Progress = 0, int Rank = 0);
