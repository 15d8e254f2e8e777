namespace CloudAssembly.Orchestration.Assembler;

/// <summary>A run whose handling failed <see cref="Failures"/> times in a row is looked at again only after <see cref="RetryAt"/> (monotonic).</summary>
public sealed record RunBackoff(int Failures, long RetryAt);
