using CloudAssembly.Orchestration.Runs;

namespace CloudAssembly.Cli.Client;

/// <summary>Seen by a <see cref="RunWatcher"/> as it attaches: where the run stands, from <c>run.json</c>.</summary>
public sealed record RunUnderway(string RunId, RunStatus Status);
