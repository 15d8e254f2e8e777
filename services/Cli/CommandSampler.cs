using System.Diagnostics;
using OpenTelemetry.Trace;

namespace CloudAssembly.Cli;

/// <summary>
/// Records what the CLI starts and what happens under it (a submit and its message), and drops what it merely
/// receives: a watcher's deliveries would otherwise add hundreds of spans to the run's trace.
/// </summary>
public sealed class CommandSampler : Sampler
{
    public override SamplingResult ShouldSample(in SamplingParameters parameters) =>
        parameters.Kind == ActivityKind.Consumer || parameters.ParentContext.TraceId == default && parameters.Name != SubmitSpan
            ? new SamplingResult(SamplingDecision.Drop)
            : new SamplingResult(SamplingDecision.RecordAndSample);

    public const string SubmitSpan = "submit run";
}
