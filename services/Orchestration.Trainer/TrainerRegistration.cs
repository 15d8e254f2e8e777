using CloudAssembly.Orchestration.Messaging;
using CloudAssembly.Orchestration.Runs;
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

    /// <summary>
    /// A one-shot trainer (a pod of an attempt's Kubernetes Job, section <c>Trainer</c>): runs <paramref name="attempt"/>
    /// and exits; it takes no commands from the queue, and hears only of cancelled runs.
    /// </summary>
    public static IHostApplicationBuilder AddOneShotTrainer(this IHostApplicationBuilder builder, AttemptArguments attempt) =>
        builder.AddCloudAssemblyService(bus =>
        {
            AddAttemptParts(bus, builder.Configuration.GetSection("Trainer").Get<TrainerOptions>() ?? new TrainerOptions());
            bus.Services.AddSingleton(attempt);
            bus.Services.AddHostedService<OneShotAttempt>();
            bus.AddEndpoint(x => x.AddConsumer<RunCancelledConsumer>(), (context, cfg) =>
                cfg.ReceiveEndpoint(new TemporaryEndpointDefinition("trainer-events"), e => e.ConfigureConsumer<RunCancelledConsumer>(context)));
        });

    public static CloudAssemblyBuilder AddTrainer(this CloudAssemblyBuilder bus, TrainerOptions options)
    {
        AddAttemptParts(bus, options);
        bus.Services.AddSingleton<TrainerSlots>();
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

    /// <summary>What runs an attempt, in a long-lived trainer and a one-shot one alike.</summary>
    private static void AddAttemptParts(CloudAssemblyBuilder bus, TrainerOptions options)
    {
        bus.Services.AddSingleton(options);
        if (options.ClockOffset != TimeSpan.Zero)
            bus.Services.AddSingleton<TimeProvider>(new OffsetTimeProvider(options.ClockOffset));
        bus.Services.AddSingleton<AttemptClaims>();
        bus.Services.AddSingleton<PhaseWorker>();
        bus.Services.AddHostedService<WorkFolderCleanup>();
    }
}
