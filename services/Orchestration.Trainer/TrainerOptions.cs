namespace CloudAssembly.Orchestration.Trainer;

/// <summary>
/// A trainer's settings (section <c>Trainer</c>): its name in leases and events, the device it trains on, where CUDA
/// libtorch comes from, a local work folder, how many phases it runs at once, how often it renews its lease, how long
/// it may go without renewing before it stops training, and how long a command may wait for a free slot before going
/// back to the queue for another trainer.
/// </summary>
public sealed record TrainerOptions
{
    public string Name { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";
    public string Device { get; init; } = "cpu";
    public string? LibTorch { get; init; }
    /// <summary>
    /// Each attempt works in its own sub-folder (named by its attempt id), removed when it ends. One trainer process per
    /// folder: at start a trainer removes whatever a dead predecessor left there (<see cref="WorkFolderCleanup"/>), so
    /// the default is this process's own.
    /// </summary>
    public string WorkFolder { get; init; } = Path.Combine(Path.GetTempPath(), "cloudassembly", "trainer", $"{Environment.ProcessId}");
    public int Slots { get; init; } = 1;
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Without a renewal for this long the attempt stops training until it renews (and for good if the lease was
    /// taken): shorter than the Assembler's <c>LeaseTimeout</c>, so a trainer cut off from storage is idle before a
    /// replacement can start.
    /// </summary>
    public TimeSpan LeaseDeadline { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Null: wait as long as it takes (the in-memory transport has no delivery timeout).</summary>
    public TimeSpan? SlotWait { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>On SIGTERM, how long running attempts get to stop and report themselves preempted (within the pod's grace period).</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>
    /// On a phase of several pods: how long to wait for every rank to join the attempt's rendezvous, and for another
    /// rank's buffer in a CPU all-reduce, before the attempt fails naming the missing ranks.
    /// </summary>
    public TimeSpan RendezvousTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Added to this trainer's wall clock: a test setting that shows no decision depends on trainers' clocks.</summary>
    public TimeSpan ClockOffset { get; init; }
}
