using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CloudAssembly.Orchestration.Messaging;

/// <summary>
/// MassTransit's bus check, read as a person reads a start: it answers Unhealthy ("Not ready: not started") until the bus
/// has connected, which the Aspire dashboard shows as an error on every service that is merely starting. Until the bus
/// has been ready once, that answer is Degraded and says "starting"; after, an Unhealthy bus (a lost broker) stays
/// Unhealthy.
/// </summary>
public sealed class StartingBusHealthCheck(IHealthCheck bus, BusReadiness readiness) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var result = await bus.CheckHealthAsync(context, cancellationToken);
        if (result.Status == HealthStatus.Healthy)
            readiness.Ready();
        return result.Status == HealthStatus.Unhealthy && !readiness.WasReady
            ? HealthCheckResult.Degraded($"starting: {result.Description}", result.Exception, result.Data)
            : result;
    }
}
