using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudAssembly.Contracts;

/// <summary>
/// One line of <c>log.txt</c>: the official keys (<c>train_lr</c>, <c>train_loss</c>, <c>test_acc1</c>,
/// <c>test_acc5</c>, <c>test_loss</c>, <c>epoch</c>, <c>n_parameters</c>) plus the epoch's throughput (all ranks) and wall
/// time, and the effective batch (W × batch × update_freq) and world size it trained with.
/// </summary>
public sealed record EpochLog(
    [property: JsonPropertyName("train_lr")] double TrainLr,
    [property: JsonPropertyName("train_loss")] double TrainLoss,
    [property: JsonPropertyName("test_acc1")] double TestAcc1,
    [property: JsonPropertyName("test_acc5")] double TestAcc5,
    [property: JsonPropertyName("test_loss")] double TestLoss,
    [property: JsonPropertyName("epoch")] int Epoch,
    [property: JsonPropertyName("n_parameters")] long NParameters,
    [property: JsonPropertyName("train_images_per_second")] double TrainImagesPerSecond,
    [property: JsonPropertyName("epoch_seconds")] double EpochSeconds,
    [property: JsonPropertyName("effective_batch")] int EffectiveBatch = 0,
    [property: JsonPropertyName("world_size")] int WorldSize = 1)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    public static EpochLog? FromJson(string line) => JsonSerializer.Deserialize<EpochLog>(line);

    /// <summary>Appends this epoch to <c>log.txt</c> in <paramref name="folder"/>.</summary>
    public void AppendTo(string folder)
    {
        Directory.CreateDirectory(folder);
        File.AppendAllText(Path.Combine(folder, "log.txt"), ToJson() + "\n");
    }

    /// <summary>The last epoch recorded in <c>log.txt</c>, or null.</summary>
    public static EpochLog? Last(string folder)
    {
        var path = Path.Combine(folder, "log.txt");
        if (!File.Exists(path))
            return null;
        var line = File.ReadLines(path).LastOrDefault(l => !string.IsNullOrWhiteSpace(l));
        return line is null ? null : FromJson(line);
    }
}
