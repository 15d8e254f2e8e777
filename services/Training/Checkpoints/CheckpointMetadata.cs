using System.Collections;
using CloudAssembly.Training.Engine;

namespace CloudAssembly.Training.Checkpoints;

/// <summary>
/// What we add under the key <c>cloudassembly</c> of every checkpoint we write, so that a checkpoint of another
/// model or another module is refused with a clear message (official checkpoints have no such key). The effective batch
/// and world size are recorded so that a resume with another world size can say what changed; nothing else depends on W.
/// <see cref="BeforeTraining"/> is the evaluation of the phase's starting network (FT's: the assembled model), which a
/// resumed attempt cannot measure again because it starts from trained weights; it keeps the first attempt's figure.
/// </summary>
public sealed record CheckpointMetadata(string Model, IReadOnlyList<int> Depths, int NumClasses, string Phase, int? Idx, int InputSize,
    int? EffectiveBatch = null, int? WorldSize = null, EvalResult? BeforeTraining = null)
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
        ["before_training"] = BeforeTraining is { } e
            ? new Dictionary<string, object?> { ["acc1"] = e.Acc1, ["acc5"] = e.Acc5, ["loss"] = e.Loss, ["images"] = e.Images }
            : null,
    };

    public static CheckpointMetadata? From(Hashtable checkpoint)
    {
        if (checkpoint[Key] is not IDictionary d)
            return null;
        var depths = ((IList)d["divided_depths"]!).Cast<object>().Select(Convert.ToInt32).ToArray();
        return new CheckpointMetadata((string)d["model"]!, depths, Convert.ToInt32(d["num_classes"]), (string)d["phase"]!,
            d["idx"] is null ? null : Convert.ToInt32(d["idx"]), Convert.ToInt32(d["input_size"]),
            d["effective_batch"] is { } batch ? Convert.ToInt32(batch) : null, d["world_size"] is { } world ? Convert.ToInt32(world) : null,
            d.Contains("before_training") && d["before_training"] is IDictionary e
                ? new EvalResult(Convert.ToDouble(e["acc1"]), Convert.ToDouble(e["acc5"]), Convert.ToDouble(e["loss"]), Convert.ToInt64(e["images"]))
                : null);
    }
}
