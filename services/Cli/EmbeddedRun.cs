using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Assembler;
using CloudAssembly.Cli.Client;
using CloudAssembly.Orchestration.DataPrep;
using CloudAssembly.Orchestration.Messaging;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Orchestration.Telemetry;
using CloudAssembly.Orchestration.Trainer;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CloudAssembly.Cli;

/// <summary>
/// The whole system in one process, with no servers: the Assembler's, the Trainer's and DataPrep's handlers over
/// MassTransit's in-memory transport and, usually, a folder as blob storage. The run is submitted and watched exactly as a
/// client of a cluster would. Stopping the process keeps every checkpoint; submitting the same run id again resumes it.
/// </summary>
public static class EmbeddedRun
{
    private static readonly TimeSpan StopPatience = TimeSpan.FromSeconds(3);

    public static async Task<object> RunAsync(RunSpec spec, string runId, BlobLocation store, string device, string? libtorch,
        Action<object> onEvent, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("MassTransit", LogLevel.Error);
        builder.Services.AddSingleton<IHostLifetime, CommandHostLifetime>();
        builder.Services.AddCloudAssembly(store, rabbitUri: null, bus => bus
            .AddAssembler(new AssemblerOptions { WatchdogInterval = TimeSpan.FromSeconds(2), LeaseTimeout = TimeSpan.FromSeconds(20) })
            .AddTrainer(new TrainerOptions
            {
                Name = "embedded",
                Device = device,
                LibTorch = libtorch,
                SlotWait = null,
                // A phase on several nodes runs them as rank slots of this one trainer, meeting in the run's folder.
                Slots = new[] { spec.Pretrain, spec.Modules, spec.Finetune, spec.Baseline ?? spec.Finetune }.Max(r => r.Nodes),
                HeartbeatInterval = TimeSpan.FromSeconds(3),
                ProgressInterval = TimeSpan.FromSeconds(2),
            })
            .AddDataPrep());
        using var host = builder.Build();
        await host.StartAsync(ct);
        try
        {
            var bus = host.Services.GetRequiredService<IBus>();
            await using var watcher = await RunWatcher.StartAsync(bus, host.Services.GetRequiredService<RunStore>(), runId, onEvent,
                TimeSpan.FromSeconds(2));
            await bus.PublishSubmitAsync(new SubmitRun(runId, spec), ct);
            return await watcher.Outcome.WaitAsync(ct);
        }
        finally
        {
            // Every finished epoch is already stored. Phases stop at their next step before the process goes, so
            // libtorch is not torn down under a training thread; a stop waits only a short while on what is in flight.
            using var patience = new CancellationTokenSource(StopPatience);
            var worker = host.Services.GetRequiredService<PhaseWorker>();
            worker.Cancel(runId);
            while (worker.Running > 0 && !patience.IsCancellationRequested)
                await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
            await host.StopAsync(patience.Token);
        }
    }
}
