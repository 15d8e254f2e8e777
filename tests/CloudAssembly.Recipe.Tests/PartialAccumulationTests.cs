using CloudAssembly.Training;
using CloudAssembly.Training.Engine;

namespace CloudAssembly.Recipe.Tests;

/// <summary>
/// <c>partial_accumulation</c> (official_semantics.json, engine.py:30-33,57-64): the micro-batches an epoch trains,
/// a last partial group included, and the optimizer steps it takes.
/// </summary>
public class PartialAccumulationTests
{
    public static TheoryData<int> Cases => [.. Enumerable.Range(0, RecipeReference.Semantics("partial_accumulation").GetArrayLength())];

    [Theory]
    [MemberData(nameof(Cases))]
    public void An_epoch_trains_the_micro_batches_of_a_last_partial_group_as_engine_py_does(int index)
    {
        var c = RecipeReference.Semantics("partial_accumulation")[index];
        int Get(string key) => c.GetProperty(key).GetInt32();
        var options = new TrainOptions { BatchSize = Get("batch_size"), UpdateFreq = Get("update_freq"), WorldSize = Get("world_size") };
        var (microBatches, dataset) = (Get("micro_batches"), Get("dataset"));
        var label = $"N {dataset}, batch {options.BatchSize} x {options.UpdateFreq}, W {options.WorldSize}";
        Assert.True(EpochTrainer.TrainedMicroBatches(microBatches, dataset, options) == Get("micro_batches_trained"), $"{label}: micro-batches trained");
        Assert.True(EpochTrainer.StepsPerEpoch(microBatches, dataset, options) == Get("optimizer_steps"), $"{label}: optimizer steps");
    }
}
