using CloudAssembly.Orchestration.Assembler;
using CloudAssembly.Orchestration.DataPrep;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Orchestration.Trainer;
using CloudAssembly.Storage;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CloudAssembly.Orchestration.Messaging;

/// <summary>
/// Registers the handlers of the chosen services and the bus they listen on: RabbitMQ when a broker URI is given
/// (amqp://user:pass@host:port/vhost), MassTransit's in-memory transport otherwise (the embedded run). The same
/// handlers run either way.
/// </summary>
public static class CloudAssemblyBus
{
    public static IServiceCollection AddCloudAssembly(this IServiceCollection services, ServiceRoles roles, BlobLocation blobs,
        string? rabbitUri, AssemblerOptions? assembler = null, TrainerOptions? trainer = null)
    {
        services.AddSingleton(blobs);
        services.AddSingleton(_ => blobs.Open());
        services.AddSingleton<RunStore>();
        services.AddSingleton<LeaseStore>();
        var trainerOptions = trainer ?? new TrainerOptions();
        if (roles.HasFlag(ServiceRoles.Assembler))
        {
            services.AddSingleton(assembler ?? new AssemblerOptions());
            services.AddSingleton<ModelAssemblyService>();
            services.AddSingleton<RunCoordinator>();
            services.AddSingleton<LeaseWatchdog>();
            services.AddHostedService(sp => sp.GetRequiredService<LeaseWatchdog>());
        }
        if (roles.HasFlag(ServiceRoles.Trainer))
        {
            services.AddSingleton(trainerOptions);
            services.AddSingleton<TrainerSlots>();
            services.AddSingleton<PhaseWorker>();
        }
        if (roles.HasFlag(ServiceRoles.DataPrep))
            services.AddSingleton<DatasetPreparer>();

        services.AddMassTransit(x =>
        {
            // MassTransit reports usage to its vendor by default: clusters here have no internet, and traces would show the calls.
            x.DisableUsageTelemetry();
            if (roles.HasFlag(ServiceRoles.Assembler))
                x.AddConsumer<AssemblerConsumer>();
            if (roles.HasFlag(ServiceRoles.Trainer))
            {
                x.AddConsumer<TrainPhaseConsumer>();
                x.AddConsumer<RunCancelledConsumer>();
            }
            if (roles.HasFlag(ServiceRoles.DataPrep))
                x.AddConsumer<PrepareDatasetConsumer>();

            if (rabbitUri is null)
                x.UsingInMemory((context, cfg) => Endpoints(context, cfg, roles, trainerOptions));
            else
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(new Uri(rabbitUri));
                    Endpoints(context, cfg, roles, trainerOptions);
                });
        });
        return services;
    }

    private static void Endpoints(IBusRegistrationContext context, IBusFactoryConfigurator cfg, ServiceRoles roles, TrainerOptions trainer)
    {
        if (roles.HasFlag(ServiceRoles.Assembler))
            cfg.ReceiveEndpoint(QueueNames.Assembler, e =>
            {
                // One message at a time: run.json is compare-and-swapped anyway, this just keeps conflicts rare.
                e.ConcurrentMessageLimit = 1;
                e.UseMessageRetry(r => r.Intervals(200, 1000, 5000));
                e.ConfigureConsumer<AssemblerConsumer>(context);
            });
        if (roles.HasFlag(ServiceRoles.DataPrep))
            cfg.ReceiveEndpoint(QueueNames.DataPrep, e =>
            {
                e.UseMessageRetry(r => r.Intervals(1000, 5000));
                e.ConfigureConsumer<PrepareDatasetConsumer>(context);
            });
        if (roles.HasFlag(ServiceRoles.Trainer))
        {
            cfg.ReceiveEndpoint(QueueNames.Trainer, e =>
            {
                // A command waits here for a free slot (bounded by SlotWait), so take no more than there are slots.
                e.PrefetchCount = trainer.Slots;
                e.ConcurrentMessageLimit = trainer.Slots;
                e.ConfigureConsumer<TrainPhaseConsumer>(context);
            });
            cfg.ReceiveEndpoint(new TemporaryEndpointDefinition("trainer-events"), e => e.ConfigureConsumer<RunCancelledConsumer>(context));
        }
    }
}
