using System.Reflection;

namespace CloudAssembly.Reporting;

/// <summary>
/// What a run page says about the run itself: its status, when it was created and finished, the version and commit
/// of the code that reported it, and its trace (the W3C trace id of its root span, and a link to it when a trace
/// viewer is known).
/// </summary>
public sealed record RunMetadata(string Status, DateTimeOffset? CreatedAt, DateTimeOffset? FinishedAt, string Version, string? Commit,
    string? TraceId, string? TraceUrl)
{
    /// <summary>The metadata of a run with this code's version and commit (from the assembly's informational version, "1.0.0+sha").</summary>
    public static RunMetadata Of(string status, DateTimeOffset? createdAt, DateTimeOffset? finishedAt, string? traceParent, string? traceUrlTemplate)
    {
        var informational = typeof(RunMetadata).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        var plus = informational.IndexOf('+');
        var traceId = TraceIdOf(traceParent);
        return new RunMetadata(status, createdAt, finishedAt, plus < 0 ? informational : informational[..plus], plus < 0 ? null : informational[(plus + 1)..],
            traceId, traceId is not null && !string.IsNullOrEmpty(traceUrlTemplate) ? traceUrlTemplate.Replace("{traceId}", traceId, StringComparison.Ordinal) : null);
    }

    /// <summary>The trace id of a W3C <c>traceparent</c> ("00-{trace id}-{span id}-{flags}"), or null.</summary>
    public static string? TraceIdOf(string? traceParent) =>
        traceParent?.Split('-') is [_, { Length: 32 } traceId, _, _] ? traceId : null;
}
