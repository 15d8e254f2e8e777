using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Training.Engine;
using Xunit.Abstractions;

namespace CloudAssembly.Services.Tests;

[Collection("services")]
public class FaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_trainer_killed_mid_module_is_replaced_and_the_phase_resumes_from_its_last_checkpoint()
    {
        await using var cluster = await ServiceCluster.StartAsync(trainers: 2);
        var harness = new RunHarness(cluster.Bus, cluster.Runs, $"kill-{Guid.NewGuid():N}"[..16]);
        var startedOn = new System.Collections.Concurrent.ConcurrentDictionary<PhaseKey, string>();
        PhaseKey? victimPhase = null;
        string? killedTrainer = null;
        object outcome;
        try
        {
            outcome = await harness.RunAsync(TinyRun.Spec(moduleEpochs: 3), e =>
            {
                if (e is PhaseStarted s)
                    startedOn[s.Phase] = s.Trainer;
                if (e is PhaseProgress { Accuracy: not null, Epoch: 0 } p && p.Phase.Kind == PhaseKind.MT
                    && Interlocked.CompareExchange(ref victimPhase, p.Phase, null) is null)
                {
                    var trainer = startedOn[p.Phase];
                    killedTrainer = trainer;
                    output.WriteLine($"killing {trainer}, which runs {p.Phase} (epoch 0 checkpointed)");
                    cluster.Process(trainer).Kill();
                }
            });
        }
        finally
        {
            output.WriteLine(cluster.Logs);
        }

        Assert.IsType<RunCompleted>(outcome);
        Assert.NotNull(victimPhase);
        var run = (await cluster.Runs.TryGetAsync(harness.RunId, default))!.Value.Run;
        Assert.Equal(2, run.Phases[victimPhase].Attempt);
        var retry = Assert.Single(harness.Of<PhaseStarted>(), s => s.Phase == victimPhase && s.AttemptId.EndsWith(".2", StringComparison.Ordinal));
        Assert.NotEqual(killedTrainer, retry.Trainer);
        // Resumed, not restarted: the log has each of the three epochs once, epoch 0 from the killed attempt.
        var pointer = (await new PointerStore(cluster.Store).TryReadAsync(BlobLayout.Pointer(harness.RunId, victimPhase), default))!.Value.Pointer;
        Assert.Equal(BlobLayout.Log(harness.RunId, victimPhase, 2), pointer.Log);
        await using var log = await cluster.Store.GetAsync(pointer.Log!);
        var epochs = new StreamReader(log.Content).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => EpochLog.FromJson(l)!.Epoch).ToList();
        Assert.Equal([0, 1, 2], epochs);
        // steps.txt came down with log.txt and went on: epoch 0's samples from the killed attempt, each step once.
        Assert.Equal(BlobLayout.StepLog(harness.RunId, victimPhase, 2), pointer.Steps);
        await using var stepLog = await cluster.Store.GetAsync(pointer.Steps!);
        var samples = StepLog.Parse(new StreamReader(stepLog.Content).ReadToEnd());
        Assert.Equal([0, 1, 2], samples.Select(s => s.Epoch).Distinct());
        Assert.Equal(samples.Count, samples.Select(s => s.GlobalStep).Distinct().Count());
        // What the killed attempt spent counts in the phase's cost, as lost; the phase's row counts all three epochs.
        var lost = Assert.Single(run.Phases[victimPhase].Lost);
        Assert.Equal((1, LostAttemptEnd.LeaseExpired, killedTrainer), (lost.Attempt, lost.End, lost.Trainer));
        Assert.True(lost.DeviceSeconds > 0, "the killed attempt's device-seconds should be counted");
        var metrics = run.Phases[victimPhase].Metrics!;
        Assert.Equal((3, lost.DeviceSeconds), (metrics.Epochs, metrics.LostDeviceSeconds));
        Assert.Equal(lost.DeviceSeconds, run.Metrics!.LostDeviceSeconds);

        // The killed trainer's attempt folder outlived it; started again under its name (a container restarted in its
        // pod), the trainer removes it before it takes any work.
        var killed = killedTrainer!;
        var workFolder = cluster.WorkFolder(killed);
        Assert.NotEmpty(Directory.EnumerateFileSystemEntries(workFolder));
        await cluster.StartServiceAsync("Trainer", killed);
        Assert.Empty(Directory.EnumerateFileSystemEntries(workFolder));
    }

    [Fact]
    public async Task The_Assembler_killed_and_RabbitMQ_killed_with_SIGKILL_mid_run_lose_nothing()
    {
        await using var services = await PrivateServices.StartAsync();
        await using var cluster = await ServiceCluster.StartAsync(trainers: 2, services);
        var harness = new RunHarness(cluster.Bus, cluster.Runs, $"restart-{Guid.NewGuid():N}"[..18]);
        var chaos = 0;
        Task? restarts = null;
        object outcome;
        try
        {
            outcome = await harness.RunAsync(TinyRun.Fast(moduleEpochs: 2), e =>
            {
                if (e is PhaseStarted { Phase.Kind: PhaseKind.MT, Phase.Index: 0 } && Interlocked.Exchange(ref chaos, 1) == 0)
                    restarts = Task.Run(async () =>
                    {
                        output.WriteLine("killing the Assembler");
                        cluster.Process("assembler").Kill();
                        await Task.Delay(1000);
                        await cluster.StartServiceAsync("Assembler", "assembler");
                        output.WriteLine("Assembler restarted; killing RabbitMQ with SIGKILL");
                        services.KillRabbitMq();
                        await Task.Delay(2000);
                        await services.UpAsync();
                        output.WriteLine("RabbitMQ restarted from its disk");
                    });
            });
            await restarts!;
        }
        finally
        {
            output.WriteLine(cluster.Logs);
        }

        Assert.IsType<RunCompleted>(outcome);
        var run = (await cluster.Runs.TryGetAsync(harness.RunId, default))!.Value.Run;
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.All(run.Phases.Values, p => Assert.Equal(PhaseStatus.Completed, p.Status));
        output.WriteLine($"SCENARIO Assembler and RabbitMQ SIGKILLed | run completed, phases attempts " +
            $"{string.Join(" ", run.Phases.Select(p => $"{p.Key}:{p.Value.Attempt}"))} | nothing lost");
    }
}
