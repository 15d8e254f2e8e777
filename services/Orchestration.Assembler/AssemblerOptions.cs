namespace CloudAssembly.Orchestration.Assembler;

/// <summary>
/// The Assembler's settings (section <c>Assembler</c>): how often the watchdog looks at leases, how old a heartbeat
/// may be before the attempt is given up, and how long a dispatched phase may wait unclaimed before its command is
/// sent again (a duplicate is dropped by the lease, so re-sending is safe).
/// </summary>
public sealed record AssemblerOptions
{
    public TimeSpan WatchdogInterval { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan LeaseTimeout { get; init; } = TimeSpan.FromSeconds(90);
    public TimeSpan RedispatchAfter { get; init; } = TimeSpan.FromMinutes(5);
    public string WorkFolder { get; init; } = Path.Combine(Path.GetTempPath(), "cloudassembly", "assembler");
}
