namespace CloudAssembly.Orchestration.Trainer;

/// <summary>The system clock moved by a fixed offset (<see cref="TrainerOptions.ClockOffset"/>); timers and the monotonic clock are untouched.</summary>
public sealed class OffsetTimeProvider(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
