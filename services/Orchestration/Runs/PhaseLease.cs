using System.Text.Json.Serialization;

namespace CloudAssembly.Orchestration.Runs;

/// <summary>
/// A trainer's claim on one node (rank slot) of one attempt of a phase (<c>runs/{id}/{phase}/lease-{node}.json</c>), renewed by
/// heartbeats. <see cref="Beats"/> and <see cref="Progress"/> change with every renewal and every step trained; the
/// watchdog judges the lease by whether they (and the blob's ETag) change, timed on its own clock, never by the times
/// written here, which are for people reading the blob (and <c>watch</c>, which shows how long a trainer has been silent).
/// <see cref="Progress"/> counts steps since the phase began; with <see cref="StepsPerEpoch"/> and <see cref="Epochs"/>
/// it tells the epoch and step, so <c>watch</c> attached mid-phase shows them before the next progress event arrives.
/// <see cref="Node"/> keeps its first JSON name, <c>rank</c>, so leases held across an upgrade still read.
/// </summary>
public sealed record PhaseLease(string AttemptId, int Attempt, string Trainer, DateTimeOffset StartedAt, DateTimeOffset HeartbeatAt,
    long Beats = 0, long Progress = 0, [property: JsonPropertyName("rank")] int Node = 0, int StepsPerEpoch = 0, int Epochs = 0);
