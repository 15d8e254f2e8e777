using OpenTelemetry.Trace;

namespace CloudAssembly.ServiceDefaults;

/// <summary>
/// What a CloudAssembly service records as traces, so one run's trace reads as its story: our steps and the messages
/// between them, sampled by their parent (progress and polling start unsampled, so they stay out). Blob storage calls —
/// the Azure SDK's spans and their HTTP requests, a thousand per run — come in only with <c>Tracing:BlobDetail=true</c>,
/// then nested under the step that made them, with the conditional writes' expected answers not marked as errors.
/// </summary>
public static class RunTracing
{
    public const string BlobDetailSetting = "Tracing:BlobDetail";

    public static readonly string[] Sources = ["MassTransit", "CloudAssembly"];

    public static TracerProviderBuilder AddRunTracing(this TracerProviderBuilder tracing, bool blobDetail)
    {
        tracing.SetSampler(new ParentBasedSampler(new AlwaysOnSampler()))
            .AddSource(Sources)
            .AddHttpClientInstrumentation(o => o.FilterHttpRequestMessage = request => blobDetail || !request.Headers.Contains("x-ms-version"));
        if (blobDetail)
            tracing.AddSource("Azure.*").AddProcessor(new ExpectedStorageAnswers());
        return tracing;
    }
}
