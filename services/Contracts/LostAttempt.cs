namespace CloudAssembly.Contracts;

/// <summary>
/// An attempt of a phase that did not finish it: how it ended, who ran it, when, what it cost (wall and device time,
/// as its trainer measured it or, for a trainer that died, as its lease last showed) and why. What it trained up to its
/// last uploaded checkpoint is kept; its time still counts in the phase's cost, as lost.
/// </summary>
public sealed record LostAttempt(int Attempt, LostAttemptEnd End, string? Trainer, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt,
    double WallSeconds, double DeviceSeconds, string Reason);
