using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudAssembly.Contracts;

/// <summary>
/// One line of <c>steps.txt</c>, beside the official <c>log.txt</c>: the training loss sampled every few optimizer steps
/// (the mean over rank 0's micro-batches since the previous sample), the lr and the throughput (all ranks) over the same
/// stretch, and when it was taken (Unix seconds). <see cref="Step"/> counts from 1 within <see cref="Epoch"/>, of
/// <see cref="Steps"/>, so an epoch's samples end at its last step.
/// </summary>
public sealed record StepLog(
    [property: JsonPropertyName("epoch")] int Epoch,
    [property: JsonPropertyName("step")] int Step,
    [property: JsonPropertyName("steps")] int Steps,
    [property: JsonPropertyName("train_loss")] double TrainLoss,
    [property: JsonPropertyName("train_lr")] double TrainLr,
    [property: JsonPropertyName("train_images_per_second")] double TrainImagesPerSecond,
    [property: JsonPropertyName("time")] double Time)
{
    public const string FileName = "steps.txt";

    /// <summary>Where the step stands in the phase, in epochs: epoch 2's last step is 3.0.</summary>
    [JsonIgnore]
    public double EpochPosition => Epoch + (double)Step / Math.Max(Steps, 1);

    /// <summary>The optimizer steps taken in the phase so far, counting this one.</summary>
    [JsonIgnore]
    public long GlobalStep => (long)Epoch * Steps + Step;

    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>The samples of a <c>steps.txt</c> (one JSON object a line); blank lines are skipped.</summary>
    public static IReadOnlyList<StepLog> Parse(string text) =>
        [.. text.Split('\n').Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => JsonSerializer.Deserialize<StepLog>(l)!)];
}
