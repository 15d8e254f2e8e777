namespace CloudAssembly.Orchestration.Trainer;

/// <summary>
/// A trainer's settings (section <c>Trainer</c>): its name in leases and events, the device it trains on, where CUDA
/// libtorch comes from, a local work folder, how many phases it runs at once, how often it renews its lease, and how
/// long a command may wait for a free slot before going back to the queue for another trainer.
/// </summary>
public sealed record TrainerOptions
{
    public string Name { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";
    public string Device { get; init; } = "cpu";
    public string? LibTorch { get; init; }
    /// <summary>Each attempt works in its own sub-folder (named by its attempt id), removed when it ends.</summary>
    public string WorkFolder { get; init; } = Path.Combine(Path.GetTempPath(), "cloudassembly", "trainer");
    public int Slots { get; init; } = 1;
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Null: wait as long as it takes (the in-memory transport has no delivery timeout).</summary>
    public TimeSpan? SlotWait { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(5);
}
