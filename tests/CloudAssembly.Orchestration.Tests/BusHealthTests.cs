using CloudAssembly.Orchestration.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CloudAssembly.Orchestration.Tests;

public class BusHealthTests
{
    [Fact]
    public async Task A_bus_that_has_not_connected_yet_is_reported_as_starting_not_as_unhealthy()
    {
        await using var services = Services(rabbitUri: "amqp://guest:guest@127.0.0.1:1/");

        var bus = await BusHealthAsync(services);

        Assert.Equal(HealthStatus.Degraded, bus.Status);
        Assert.StartsWith("starting: ", bus.Description);
    }

    [Fact]
    public async Task A_bus_that_was_ready_and_stopped_is_unhealthy()
    {
        await using var services = Services(rabbitUri: null);
        var control = services.GetRequiredService<IBusControl>();
        await control.StartAsync();
        Assert.Equal(HealthStatus.Healthy, (await BusHealthAsync(services)).Status);

        await control.StopAsync();

        Assert.Equal(HealthStatus.Unhealthy, (await BusHealthAsync(services)).Status);
    }

    private static ServiceProvider Services(string? rabbitUri)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHealthChecks();
        services.AddCloudAssembly(new BlobLocation("UseDevelopmentStorage=true", "bus-health"), rabbitUri);
        return services.BuildServiceProvider();
    }

    private static async Task<HealthReportEntry> BusHealthAsync(IServiceProvider services)
    {
        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return Assert.Single(report.Entries, e => e.Key.StartsWith("masstransit", StringComparison.Ordinal)).Value;
    }
}
