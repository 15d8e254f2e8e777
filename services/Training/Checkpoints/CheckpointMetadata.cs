using System.Collections;

namespace CloudAssembly.Training.Checkpoints;

/// <summary>
/// What we add under the key <c>cloudassembly</c> of every checkpoint we write, so that a checkpoint of another
/// model or another module is refused with a clear message (official checkpoints have no such key). The effective batch
/// and world size are recorded so that a resume with another world size can say what changed; nothing else depends on W.
/// </summary>
public sealed record CheckpointMetadata(string Model, IReadOnlyList<int> Depths, int NumClasses, string Phase, int? Idx, int InputSize,
    int? EffectiveBatch = null, int? WorldSize = null)
{
    public const string Key = "cloudassembly";

    public Dictionary<string, object?> ToPickle() => new()
    {
        ["model"] = Model,
        ["divided_depths"] = Depths.Cast<object?>().ToList(),
        ["num_classes"] = NumClasses,
        ["phase"] = Phase,
        ["idx"] = Idx,
        ["input_size"] = InputSize,
        ["effective_batch"] = EffectiveBatch,
        ["world_size"] = WorldSize,
    };

    public static CheckpointMetadata? From(Hashtable checkpoint)
    {
        if (checkpoint[Key] is not IDictionary d)
            return null;
        var depths = ((IList)d["divided_depths"]!).Cast<object>().Select(Convert.ToInt32).ToArray();
        return new CheckpointMetadata((string)d["model"]!, depths, Convert.ToInt32(d["num_classes"]), (string)d["phase"]!,
            d["idx"] is null ? null : Convert.ToInt32(d["idx"]), Convert.ToInt32(d["input_size"]),
            d["effective_batch"] is { } batch ? Convert.ToInt32(batch) : null, d["world_size"] is { } world ? Convert.ToInt32(world) : null);
    }
}
