using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace CloudAssembly.Services.Tests;

public class HealthEndpointTests
{
    [Fact]
    public async Task A_degraded_service_such_as_one_whose_bus_is_starting_is_not_ready_but_alive()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        builder.Services.AddHealthChecks().AddCheck("bus", () => HealthCheckResult.Degraded("starting: Not ready: not started"));
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };

        using var health = await http.GetAsync(Extensions.HealthPath);
        using var alive = await http.GetAsync(Extensions.AlivePath);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Degraded"), (health.StatusCode, await health.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        await app.StopAsync();
    }
}
