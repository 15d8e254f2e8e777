namespace CloudAssembly.Orchestration.Runs;

/// <summary>The attempt no longer holds its phase (a newer attempt claimed it, or the run ended): it must stop and write nothing.</summary>
public sealed class AttemptFencedException(string message) : Exception(message);
