using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Assembler;
using CloudAssembly.Cli.Client;
using CloudAssembly.Orchestration.DataPrep;
using CloudAssembly.Orchestration.Messaging;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Orchestration.Trainer;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CloudAssembly.Services.Tests;

public class CancelTests
{
    [Fact]
    public async Task Cancelling_a_run_stops_its_phase_and_ends_the_run_cancelled()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cloudassembly-tests", $"cancel-{Guid.NewGuid():N}");
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddCloudAssembly(new BlobLocation(folder), rabbitUri: null, bus => bus
            .AddAssembler(new AssemblerOptions { WatchdogInterval = TimeSpan.FromSeconds(1) })
            .AddTrainer(new TrainerOptions { Name = "cancel-test", SlotWait = null, HeartbeatInterval = TimeSpan.FromSeconds(1), WorkFolder = Path.Combine(folder, "work") })
            .AddDataPrep());
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var bus = host.Services.GetRequiredService<IBus>();
            var runs = host.Services.GetRequiredService<RunStore>();
            const string runId = "cancel-me";
            var sent = 0;
            await using var watcher = await RunWatcher.StartAsync(bus, runs, runId, e =>
            {
                if (e is PhaseStarted { Phase.Kind: PhaseKind.MT, Phase.Index: 0 } && Interlocked.Exchange(ref sent, 1) == 0)
                    _ = bus.Publish(new CancelRun(runId, "the test changed its mind"));
            }, TimeSpan.FromSeconds(1));
            await bus.Publish(new SubmitRun(runId, TinyRun.Spec(moduleEpochs: 20)));
            var cancelled = Assert.IsType<RunCancelled>(await watcher.Outcome.WaitAsync(TimeSpan.FromMinutes(3)));
            Assert.Contains("the test changed its mind", cancelled.Reason);

            var worker = host.Services.GetRequiredService<PhaseWorker>();
            for (var i = 0; i < 60 && worker.Running > 0; i++)
                await Task.Delay(500);
            Assert.Equal(0, worker.Running);
            var run = (await runs.TryGetAsync(runId, default))!.Value.Run;
            Assert.Equal(RunStatus.Cancelled, run.Status);
            Assert.NotEqual(PhaseStatus.Completed, run.Phases[PhaseKey.Module(0)].Status);
            Assert.False(run.Phases.ContainsKey(PhaseKey.Finetune));
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
