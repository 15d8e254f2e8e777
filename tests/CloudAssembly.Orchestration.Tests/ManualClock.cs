namespace CloudAssembly.Orchestration.Tests;

/// <summary>A clock that moves only when told: the watchdog's monotonic clock and wall clock, both.</summary>
public sealed class ManualClock : TimeProvider
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private long ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref ticks);

    public override DateTimeOffset GetUtcNow() => Start.AddTicks(GetTimestamp());

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}
