using System.Diagnostics;
using CloudAssembly.Contracts;
using MassTransit;

namespace CloudAssembly.Orchestration.Telemetry;

/// <summary>
/// The run's root span travels with its <see cref="SubmitRun"/> in a header of its own: MassTransit's trace context
/// names only the send span, so without it the Assembler would root the run's story in its own consume span, three
/// messaging spans deep (submit → send → receive → consume). The Assembler stores the root in <c>run.json</c>, and every
/// step of the run's story is its child (<see cref="CloudAssemblyTelemetry.StartRunActivity"/>).
/// </summary>
public static class RunTraceRoot
{
    public const string Header = "CloudAssembly-Trace-Root";

    /// <summary>Publishes the submit with the current span (the submitter's) as the run's root.</summary>
    public static Task PublishSubmitAsync(this IPublishEndpoint bus, SubmitRun submit, CancellationToken ct) =>
        bus.Publish(submit, context =>
        {
            if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } root)
                context.Headers.Set(Header, root.Id);
        }, ct);

    /// <summary>The run's root as its submitter sent it; from a submitter that sent none, the span handling the submit.</summary>
    public static string? Of(ConsumeContext<SubmitRun> context) =>
        context.Headers.Get<string>(Header) is { } root && ActivityContext.TryParse(root, null, out _) ? root : Activity.Current?.Id;
}
