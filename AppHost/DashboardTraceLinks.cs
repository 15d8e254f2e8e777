using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace CloudAssembly.AppHost;

/// <summary>
/// Run reports link each run's trace on this AppHost's dashboard (its trace page, <c>/traces/detail/{traceId}</c>). Only
/// when running: a published deployment sets <c>Assembler__TraceUrl</c> to its own trace viewer.
/// </summary>
public static class DashboardTraceLinks
{
    public static IResourceBuilder<ProjectResource> WithDashboardTraceLinks(this IResourceBuilder<ProjectResource> assembler,
        IDistributedApplicationBuilder builder) =>
        builder.ExecutionContext.IsRunMode && builder.Configuration["ASPNETCORE_URLS"]?.Split(';')[0] is { Length: > 0 } dashboard
            ? assembler.WithEnvironment("Assembler__TraceUrl", $"{dashboard.TrimEnd('/')}/traces/detail/{{traceId}}")
            : assembler;
}
