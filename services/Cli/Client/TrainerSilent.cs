using CloudAssembly.Contracts;

namespace CloudAssembly.Cli.Client;

/// <summary>
/// Seen by a <see cref="RunWatcher"/> in a running attempt's lease: its trainer has not renewed it for
/// <paramref name="Silence"/>. Shown well before the Assembler's watchdog expires the lease, so a dead trainer does not
/// look like a frozen bar.
/// </summary>
public sealed record TrainerSilent(string RunId, PhaseKey Phase, int Attempt, string Trainer, TimeSpan Silence);
