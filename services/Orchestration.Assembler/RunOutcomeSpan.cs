using System.Diagnostics;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Orchestration.Telemetry;

namespace CloudAssembly.Orchestration.Assembler;

/// <summary>The last step of a run's story: how it ended, its accuracy and what it cost, as a span beside the phases.</summary>
public static class RunOutcomeSpan
{
    public static void Record(RunDocument run)
    {
        using var span = CloudAssemblyTelemetry.StartRunActivity($"run {run.Status.ToString().ToLowerInvariant()}", run.RunId, run.TraceParent);
        if (span is null)
            return;
        if (run.Metrics is { } m)
        {
            span.SetTag(CloudAssemblyTelemetry.Acc1, m.Acc1);
            span.SetTag(CloudAssemblyTelemetry.Acc5, m.Acc5);
            span.SetTag(CloudAssemblyTelemetry.DeviceSecondsSpent, Math.Round(m.DeviceSeconds, 1));
            span.SetTag(CloudAssemblyTelemetry.WallSeconds, Math.Round(m.WallSeconds, 1));
            if (m.AssembledAcc1BeforeFinetune is { } before)
                span.SetTag("cloudassembly.assembled_acc1_before_finetune", before);
        }
        if (run.Error is { } error)
        {
            span.SetTag(CloudAssemblyTelemetry.Reason, error);
            if (run.Status == RunStatus.Failed)
                span.SetStatus(ActivityStatusCode.Error, error);
        }
    }
}
