using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CloudAssembly.Orchestration.Telemetry;

/// <summary>
/// Our own spans and metrics, beside MassTransit's and the Azure SDK's. A run's trace tells its story at the top level:
/// under the submit span (the run's root, <see cref="RunTraceRoot"/>), one span per step — the dataset, every phase
/// attempt (lost and failed ones with their reason), the assembly, the outcome — each with the run id, phase, attempt
/// and trainer, and what it produced. Metrics: phase duration, throughput, epochs, re-dispatches, trainer utilisation,
/// device-seconds.
/// </summary>
public static class CloudAssemblyTelemetry
{
    public const string Name = "CloudAssembly";

    public static readonly ActivitySource Source = new(Name);

    /// <summary>Every span source a CloudAssembly process emits: MassTransit's, ours and the Azure SDK's.</summary>
    public static readonly string[] TraceSources = ["MassTransit", Name, "Azure.*"];

    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Images = Meter.CreateCounter<long>("cloudassembly.images", "{image}", "Training images processed");

    public static readonly Counter<double> DeviceSeconds = Meter.CreateCounter<double>("cloudassembly.phase.device_seconds", "s",
        "Device time spent in phases, lost attempts included");

    public static readonly Counter<long> RunFaults = Meter.CreateCounter<long>("cloudassembly.run.faults", "{fault}",
        "Times the Assembler's watchdog failed handling a run (the run is backed off; others go on)");

    public static readonly Histogram<double> Loss = Meter.CreateHistogram<double>("cloudassembly.loss", null, "Training loss reported by phases");

    public static readonly Histogram<double> Accuracy = Meter.CreateHistogram<double>("cloudassembly.accuracy", "%", "Top-1 accuracy after each epoch");

    public static readonly Histogram<double> PhaseDuration = Meter.CreateHistogram<double>("cloudassembly.phase.duration", "s",
        "Wall time of each phase attempt that completed");

    public static readonly Histogram<double> ImagesPerSecond = Meter.CreateHistogram<double>("cloudassembly.phase.images_per_second", "{image}/s",
        "Training throughput of each epoch");

    public static readonly Counter<long> Epochs = Meter.CreateCounter<long>("cloudassembly.phase.epochs", "{epoch}", "Epochs trained");

    public static readonly Counter<long> Redispatches = Meter.CreateCounter<long>("cloudassembly.phase.redispatches", "{attempt}",
        "Phase attempts dispatched again because their trainer was lost or they failed");

    private static readonly ConcurrentDictionary<string, Func<double>> Utilisations = new();

    public static readonly ObservableGauge<double> TrainerUtilisation = Meter.CreateObservableGauge("cloudassembly.trainer.utilisation",
        () => Utilisations.Select(u => new Measurement<double>(u.Value(), new KeyValuePair<string, object?>(Trainer, u.Key))),
        "1", "Share of a trainer's slots that run a phase");

    /// <summary>Reports a trainer's busy share under <see cref="TrainerUtilisation"/>.</summary>
    public static void ObserveUtilisation(string trainer, Func<double> busyShare) => Utilisations[trainer] = busyShare;

    public const string RunId = "cloudassembly.run_id";
    public const string Phase = "cloudassembly.phase";
    public const string Attempt = "cloudassembly.attempt";
    public const string Trainer = "cloudassembly.trainer";
    public const string Node = "cloudassembly.node";
    public const string Reason = "cloudassembly.reason";
    public const string Acc1 = "cloudassembly.acc1";
    public const string Acc5 = "cloudassembly.acc5";
    public const string EpochsTrained = "cloudassembly.epochs";
    public const string DeviceSecondsSpent = "cloudassembly.device_seconds";
    public const string WallSeconds = "cloudassembly.wall_seconds";
    public const string ImagesPerSecondTrained = "cloudassembly.images_per_second";
    public const string Blob = "cloudassembly.blob";
    public const string Bytes = "cloudassembly.bytes";

    /// <summary>The tag that files a measurement under its run.</summary>
    public static KeyValuePair<string, object?> OfRun(string runId) => new(RunId, runId);

    /// <summary>
    /// Starts a step of the run's story: a child of the run's root span (<paramref name="traceParent"/>, stored in
    /// run.json), linked to whatever caused it (the message being handled), so steps sit side by side at the top of the
    /// trace however deep the chain of messages between them. Without a stored root it nests under the current span.
    /// </summary>
    public static Activity? StartRunActivity(string name, string runId, string? traceParent, ActivityKind kind = ActivityKind.Internal,
        DateTimeOffset startTime = default)
    {
        var cause = Activity.Current?.Context;
        var parent = traceParent is not null && ActivityContext.TryParse(traceParent, null, out var root) ? root : cause ?? default;
        ActivityLink[]? links = cause is { } c && c != parent && c.TraceId == parent.TraceId ? [new ActivityLink(c)] : null;
        var activity = Source.StartActivity(kind, parent, [new(RunId, runId)], links, startTime, name);
        return activity;
    }

    /// <summary>
    /// Work that belongs to no run's story (progress sends, the watchdog's polling): what starts under the returned scope
    /// is not sampled, so it reaches no trace, while explicitly parented steps (a lost attempt) still join theirs.
    /// </summary>
    public static Activity OutsideRunTraces(string name) =>
        new Activity(name).SetParentId(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None).Start();
}
