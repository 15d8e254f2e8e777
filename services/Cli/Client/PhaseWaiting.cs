using CloudAssembly.Contracts;

namespace CloudAssembly.Cli.Client;

/// <summary>
/// Seen by a <see cref="RunWatcher"/> in <c>run.json</c>: the cluster holds the phase's attempt before it starts, and
/// says why (Kueue: waiting for admission, with the GPUs the gang needs and the quota it lacks).
/// </summary>
public sealed record PhaseWaiting(string RunId, PhaseKey Phase, int Attempt, string Reason);
