using CloudAssembly.Contracts;

namespace CloudAssembly.Cli.Client;

/// <summary>
/// Seen by a <see cref="RunWatcher"/> as it attaches: a phase already running, with where its attempt stands (from
/// <c>run.json</c> and the attempt's lease), so <c>watch</c> shows it at once instead of after the next progress event.
/// <paramref name="Steps"/> is 0 while the attempt has not trained a step yet.
/// </summary>
public sealed record PhaseUnderway(string RunId, PhaseKey Phase, int Attempt, string Trainer, int Epoch, int Epochs, int Step, int Steps);
