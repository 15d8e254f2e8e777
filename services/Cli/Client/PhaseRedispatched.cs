using CloudAssembly.Contracts;

namespace CloudAssembly.Cli.Client;

/// <summary>
/// Seen by a <see cref="RunWatcher"/> in <c>run.json</c>: a phase went to a new attempt because the previous one was
/// lost (its trainer stopped sending heartbeats) or failed; <paramref name="Reason"/> says which.
/// </summary>
public sealed record PhaseRedispatched(string RunId, PhaseKey Phase, int Attempt, string Reason);
