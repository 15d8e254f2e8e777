using CloudAssembly.Training.Optimization;

namespace CloudAssembly.Recipe.Tests;

/// <summary><c>schedules</c>: the lr every step of each epoch uses, from main.py's flags through <c>create_scheduler</c>.</summary>
public class ScheduleTests
{
    public static TheoryData<int> Cases => RecipeReference.Indices("schedules");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_epoch_trains_at_the_official_lr(int index)
    {
        var reference = RecipeReference.Section("schedules")[index];
        var flags = reference.GetProperty("flags").GetString()!;
        var effectiveBatch = reference.GetProperty("effective_batch").GetInt32();
        var options = TrainFlags.Parse($"{flags} --batch_size {effectiveBatch}").Options;
        var schedule = CosineSchedule.For(options);
        Close.Relative(reference.GetProperty("scaled_lr").GetDouble(), schedule.BaseLr, 1e-9, $"'{flags}' scaled lr");
        var expected = reference.GetProperty("lr_per_epoch").Doubles();
        Assert.Equal(expected.Length, options.Epochs);
        for (var epoch = 0; epoch < expected.Length; epoch++)
            Close.Relative(expected[epoch], schedule.LrForEpoch(epoch), 1e-9, $"'{flags}' epoch {epoch}");
    }
}
