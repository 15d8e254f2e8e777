using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Assembler.Launching;
using CloudAssembly.Orchestration.Messaging;
using k8s;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CloudAssembly.Orchestration.Assembler;

/// <summary>The Assembler's wiring: the run coordinator, model assembly, run reports, the lease watchdog and the <c>assembler</c> queue.</summary>
public static class AssemblerRegistration
{
    /// <summary>How many runs' messages the Assembler handles at once.</summary>
    private const int RunPartitions = 16;

    /// <summary>The Assembler service from configuration (section <c>Assembler</c>).</summary>
    public static IHostApplicationBuilder AddAssembler(this IHostApplicationBuilder builder) =>
        builder.AddCloudAssemblyService(bus => bus.AddAssembler(builder.Configuration.GetSection("Assembler").Get<AssemblerOptions>() ?? new AssemblerOptions()));

    public static CloudAssemblyBuilder AddAssembler(this CloudAssemblyBuilder bus, AssemblerOptions options)
    {
        bus.Services.AddSingleton(options);
        bus.Services.AddSingleton(sp => DataSources.From(options, sp.GetRequiredService<BlobLocation>().Connection));
        bus.Services.AddSingleton<ModelAssemblyService>();
        bus.Services.AddSingleton<RunReportPublisher>();
        bus.Services.AddSingleton(sp => Launcher(sp, options));
        bus.Services.AddSingleton<RunCoordinator>();
        bus.Services.AddSingleton<PlacementWatch>();
        bus.Services.AddSingleton<LeaseWatchdog>();
        bus.Services.AddHostedService(sp => sp.GetRequiredService<LeaseWatchdog>());
        return bus.AddEndpoint(x => x.AddConsumer<AssemblerConsumer>(), (context, cfg) =>
            cfg.ReceiveEndpoint(QueueNames.Assembler, e =>
            {
                // Runs are handled side by side, each run's messages one at a time and in order (partitioned by run
                // id): a run whose event waits out a storage outage or a slow assembly holds up no other run.
                // run.json is compare-and-swapped anyway; the partitions just keep conflicts rare.
                e.ConcurrentMessageLimit = RunPartitions;
                e.PrefetchCount = RunPartitions * 2;
                var runs = e.CreatePartitioner(RunPartitions);
                // Long enough to ride out a storage outage; a malformed message fails at once instead.
                e.UseMessageRetry(r =>
                {
                    r.Intervals(200, 1000, 5000, 15000, 30000, 60000);
                    r.Ignore<ArgumentException>();
                    r.Ignore<FormatException>();
                    r.Ignore<InvalidDataException>();
                });
                e.ConfigureConsumer<AssemblerConsumer>(context, c =>
                {
                    c.Message<SubmitRun>(m => m.UsePartitioner(runs, x => x.Message.RunId));
                    c.Message<CancelRun>(m => m.UsePartitioner(runs, x => x.Message.RunId));
                    c.Message<DatasetReady>(m => m.UsePartitioner(runs, x => x.Message.RunId));
                    c.Message<DatasetFailed>(m => m.UsePartitioner(runs, x => x.Message.RunId));
                    c.Message<PhaseStarted>(m => m.UsePartitioner(runs, x => x.Message.RunId));
                    c.Message<PhaseCompleted>(m => m.UsePartitioner(runs, x => x.Message.RunId));
                    c.Message<PhaseFailed>(m => m.UsePartitioner(runs, x => x.Message.RunId));
                    c.Message<PhasePreempted>(m => m.UsePartitioner(runs, x => x.Message.RunId));
                });
            }));
    }

    private static IAttemptLauncher Launcher(IServiceProvider services, AssemblerOptions options)
    {
        if (options.Launcher == AttemptLauncherKind.Queue)
            return new QueueLauncher();
        var jobs = options.Jobs;
        var config = jobs.ApiServer is { } server ? new KubernetesClientConfiguration { Host = server } : KubernetesClientConfiguration.InClusterConfig();
        return new KubernetesJobLauncher(new Kubernetes(config), AttemptJobTemplate.Load(jobs.Template), jobs,
            services.GetRequiredService<ILogger<KubernetesJobLauncher>>());
    }
}
