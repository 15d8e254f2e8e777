using CloudAssembly.Orchestration.Runs;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CloudAssembly.Orchestration.Messaging;

/// <summary>
/// Registers the run store, the leases and the bus the chosen services listen on: RabbitMQ when a broker URI is given
/// (amqp://user:pass@host:port/vhost), MassTransit's in-memory transport otherwise (the embedded run). The same
/// handlers run either way. The bus's health check reports a bus that has not connected yet as starting
/// (<see cref="StartingBusHealthCheck"/>).
/// </summary>
public static class CloudAssemblyBus
{
    public static IServiceCollection AddCloudAssembly(this IServiceCollection services, BlobLocation blobs, string? rabbitUri,
        Action<CloudAssemblyBuilder>? addServices = null)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(blobs);
        services.AddSingleton(_ => blobs.Open());
        services.AddSingleton<RunStore>();
        services.AddSingleton<LeaseStore>();
        services.AddSingleton<PointerStore>();
        var hosted = new CloudAssemblyBuilder(services);
        addServices?.Invoke(hosted);

        services.AddMassTransit(x =>
        {
            // MassTransit reports usage to its vendor by default: clusters here have no internet, and traces would show the calls.
            x.DisableUsageTelemetry();
            hosted.AddConsumers(x);
            if (rabbitUri is null)
                x.UsingInMemory(hosted.ConfigureEndpoints);
            else
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(new Uri(rabbitUri));
                    // What the Assembler judges authority by (a run's owner, who may send trainers' events).
                    if (BrokerUser.FromUri(rabbitUri) is { } user)
                        BrokerUser.Stamp(cfg, user);
                    hosted.ConfigureEndpoints(context, cfg);
                });
        });
        services.AddSingleton<BusReadiness>();
        services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var registration in options.Registrations.Where(r => r.Name.StartsWith("masstransit", StringComparison.Ordinal)))
            {
                var check = registration.Factory;
                registration.Factory = provider => new StartingBusHealthCheck(check(provider), provider.GetRequiredService<BusReadiness>());
            }
        });
        return services;
    }
}
