using CloudAssembly.Orchestration.Assembler.Launching;

namespace CloudAssembly.Orchestration.Assembler;

/// <summary>
/// The Assembler's settings (section <c>Assembler</c>): how often the watchdog looks at leases; how long a lease may
/// stay unchanged (timed on the watchdog's own clock) before the attempt is given up, and how long after a storage
/// error no lease is given up (trainers could not renew either); how long an attempt may heartbeat without training a
/// step; which folders source data and which other blob hosts datasets may come from; how long a dispatched phase may wait unclaimed before its command is sent again (a duplicate is dropped by the
/// lease, so re-sending is safe); and the longest pause before looking at a run whose handling keeps failing.
/// </summary>
public sealed record AssemblerOptions
{
    public TimeSpan WatchdogInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How many runs one watchdog sweep looks at at once.</summary>
    public int SweepParallelism { get; init; } = 16;
    public TimeSpan LeaseTimeout { get; init; } = TimeSpan.FromSeconds(90);
    public TimeSpan StorageGrace { get; init; } = TimeSpan.FromSeconds(90);
    public TimeSpan ProgressTimeout { get; init; } = TimeSpan.FromMinutes(30);
    public TimeSpan RedispatchAfter { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan MaxRunBackoff { get; init; } = TimeSpan.FromMinutes(5);
    public string WorkFolder { get; init; } = Path.Combine(Path.GetTempPath(), "cloudassembly", "assembler");

    /// <summary>The folders DataPrep reads source datasets from; a submitted run's data path must lie under one of them.</summary>
    public IReadOnlyList<string> DataRoots { get; init; } = ["/datasets", "/usr/share/datasets"];

    /// <summary>
    /// Blob hosts other than the cluster's own store that a SHARDS data path may name (a host, or host:port); none by
    /// default, since the services read data stores with the cluster's identity.
    /// </summary>
    public IReadOnlyList<string> AllowedDataHosts { get; init; } = [];

    /// <summary>
    /// Broker users that may cancel or replace any run, besides its owner (the user that submitted it, as RabbitMQ
    /// validated it).
    /// </summary>
    public IReadOnlyList<string> Operators { get; init; } = [];

    /// <summary>
    /// Broker users whose dataset and phase events are accepted (DataPrep's, the trainers', the Assembler's own); empty:
    /// any sender, as on one shared broker user (the AppHost, the embedded run).
    /// </summary>
    public IReadOnlyList<string> ServiceUsers { get; init; } = [];

    /// <summary>How phase attempts are started: commands on the trainer queue, or one Kubernetes Job each (<see cref="Jobs"/>).</summary>
    public AttemptLauncherKind Launcher { get; init; } = AttemptLauncherKind.Queue;

    public JobOptions Jobs { get; init; } = new();

    /// <summary>
    /// Where a run's trace can be viewed, with <c>{traceId}</c> for the run's trace id (the Aspire dashboard:
    /// <c>http://host:port/traces/detail/{traceId}</c>); the report links to it. None by default.
    /// </summary>
    public string? TraceUrl { get; init; }

    /// <summary>Fault injection for tests only: where the Assembler kills itself on purpose.</summary>
    public AssemblerFaults Faults { get; init; } = new();
}
