using CloudAssembly.Orchestration.Messaging;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CloudAssembly.Orchestration.Trainer;

/// <summary>The Trainer's wiring: its slots, the phase worker, the <c>trainer</c> queue and its own queue of run events.</summary>
public static class TrainerRegistration
{
    /// <summary>The Trainer service from configuration (section <c>Trainer</c>).</summary>
    public static IHostApplicationBuilder AddTrainer(this IHostApplicationBuilder builder) =>
        builder.AddCloudAssemblyService(bus => bus.AddTrainer(builder.Configuration.GetSection("Trainer").Get<TrainerOptions>() ?? new TrainerOptions()));

    public static CloudAssemblyBuilder AddTrainer(this CloudAssemblyBuilder bus, TrainerOptions options)
    {
        bus.Services.AddSingleton(options);
        if (options.ClockOffset != TimeSpan.Zero)
            bus.Services.AddSingleton<TimeProvider>(new OffsetTimeProvider(options.ClockOffset));
        bus.Services.AddSingleton<TrainerSlots>();
        bus.Services.AddSingleton<PhaseWorker>();
        bus.Services.AddHostedService<WorkFolderCleanup>();
        return bus.AddEndpoint(x =>
        {
            x.AddConsumer<TrainPhaseConsumer>();
            x.AddConsumer<RunCancelledConsumer>();
        }, (context, cfg) =>
        {
            cfg.ReceiveEndpoint(QueueNames.Trainer, e =>
            {
                // A command waits here for a free slot (bounded by SlotWait), so take no more than there are slots.
                e.PrefetchCount = options.Slots;
                e.ConcurrentMessageLimit = options.Slots;
                // Claiming reads run.json and writes the lease: wait out a storage outage rather than lose the command.
                e.UseMessageRetry(r => r.Intervals(1000, 5000, 15000, 30000));
                e.ConfigureConsumer<TrainPhaseConsumer>(context);
            });
            cfg.ReceiveEndpoint(new TemporaryEndpointDefinition("trainer-events"), e => e.ConfigureConsumer<RunCancelledConsumer>(context));
        });
    }
}
