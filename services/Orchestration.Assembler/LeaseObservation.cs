namespace CloudAssembly.Orchestration.Assembler;

/// <summary>
/// What the watchdog last saw of one attempt's lease, on its own monotonic clock: when it last looked, the ETag and when
/// it last changed, the progress counter and when it last moved. Nothing here compares a time a trainer wrote.
/// </summary>
public sealed record LeaseObservation(string AttemptId, string ETag, long ChangedAt, long Progress, long ProgressedAt, long SeenAt);
