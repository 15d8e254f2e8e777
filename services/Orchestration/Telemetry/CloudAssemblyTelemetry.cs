using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CloudAssembly.Orchestration.Telemetry;

/// <summary>
/// Our own spans and metrics, beside MassTransit's and the Azure SDK's: a span per phase attempt, per checkpoint
/// transfer, per assembly and dataset build; counters of images trained and device-seconds, and the loss and accuracy
/// each phase reports. Every span and measurement carries the run id.
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

    /// <summary>Starts a span inside the run's trace: under the current span, or linked to the run's root when there is none.</summary>
    public static Activity? StartRunActivity(string name, string runId, string? traceParent, ActivityKind kind = ActivityKind.Internal)
    {
        var parent = Activity.Current?.Context
            ?? (traceParent is not null && ActivityContext.TryParse(traceParent, null, out var stored) ? stored : default);
        var activity = Source.StartActivity(name, kind, parent);
        activity?.SetTag("cloudassembly.run_id", runId);
        return activity;
    }
}
