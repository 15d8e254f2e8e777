using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudAssembly.Contracts;

/// <summary>Start a run. The client chooses <paramref name="RunId"/>, so submitting the same run again changes nothing.</summary>
public sealed record SubmitRun(string RunId, RunSpec Spec)
{
    /// <summary>Members of the JSON this command was read from that it does not have (null: none): refused by name, like a spec's.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }
}

/// <summary>Stop a run; phases in flight are cancelled and keep their last checkpoint.</summary>
public sealed record CancelRun(string RunId, string Reason);

/// <summary>
/// Build the dataset version a run trains on, unless it already exists. <paramref name="Generation"/> counts the
/// requests for this run: a build abandoned by a lost DataPrep is asked for again as the next generation, which takes
/// the build's lease over.
/// </summary>
public sealed record PrepareDataset(string RunId, string DataSet, string DataPath, string Name, string Version, int Generation = 1);

/// <summary>
/// Train (or evaluate) one phase of a run. <paramref name="AttemptId"/> identifies this try; a re-dispatch after a lost
/// trainer gets a new one and resumes from the phase's last checkpoint in blob storage. <paramref name="Inputs"/> are
/// the blob names the phase starts from (the meta model for MT, the assembled model for FT, the FT model for Eval).
/// <paramref name="Generation"/> counts how often this attempt was sent (a command unclaimed for long is sent again);
/// trainers drop copies older than the run's current one, so copies bounced between busy trainers do not pile up.
/// A phase on several pods is one attempt sent as <paramref name="Nodes"/> rank slots, one command per
/// <paramref name="NodeRank"/> (torchrun's <c>--node_rank</c>); each is claimed by one trainer, which holds the phase's
/// global ranks NodeRank × devicesPerNode onwards. Node 0 alone writes the phase's files and reports its progress and completion.
/// </summary>
public sealed record TrainPhase(string RunId, PhaseKey Phase, int Attempt, string AttemptId, RunSpec Spec, DatasetRef Dataset,
    IReadOnlyList<string> Inputs, int Generation = 1, int NodeRank = 0, int Nodes = 1);
