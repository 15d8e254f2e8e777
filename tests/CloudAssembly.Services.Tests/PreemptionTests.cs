using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using Xunit.Abstractions;

namespace CloudAssembly.Services.Tests;

[Collection("services")]
public class PreemptionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_trainer_sent_SIGTERM_mid_epoch_reports_the_phase_preempted_exits_and_the_phase_resumes_elsewhere_without_using_an_attempt()
    {
        await using var cluster = await ServiceCluster.StartAsync(trainers: 2);
        var harness = new RunHarness(cluster.Bus, cluster.Runs, $"preempt-{Guid.NewGuid():N}"[..18]);
        var startedOn = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        string? victimPhase = null;
        ServiceProcess? victim = null;
        Task? spare = null;
        object outcome;
        try
        {
            outcome = await harness.RunAsync(TinyRun.Fast(moduleEpochs: 3), e =>
            {
                if (e is PhaseStarted s)
                    startedOn[s.AttemptId] = s.Trainer;
                if (e is PhaseProgress { Accuracy: not null, Epoch: 0 } p && p.Phase.StartsWith("MT_", StringComparison.Ordinal)
                    && Interlocked.CompareExchange(ref victimPhase, p.Phase, null) is null)
                {
                    victim = cluster.Process(startedOn[p.AttemptId]);
                    victim.Terminate();
                    output.WriteLine($"SIGTERM to {victim.Name} during {p.Phase} (epoch 0 checkpointed)");
                    spare = cluster.StartServiceAsync("Trainer", "trainer-3");
                }
            });
            await spare!;
        }
        finally
        {
            output.WriteLine(cluster.Logs);
        }

        Assert.IsType<RunCompleted>(outcome);
        Assert.True(await victim!.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the trainer should exit after reporting");
        var preempted = Assert.Single(harness.Of<PhasePreempted>());
        Assert.Equal(victimPhase, preempted.Phase);
        Assert.Contains("epoch 0's checkpoint are redone", preempted.Reason);
        var phase = (await cluster.Runs.TryGetAsync(harness.RunId, default))!.Value.Run.Phases[victimPhase!];
        Assert.Equal((2, 1, 1), (phase.Attempt, phase.Preemptions, phase.CountedAttempts));
        Assert.Contains("continuing at epoch 1", cluster.Process(startedOn[$"{harness.RunId}.{victimPhase}.2"]).Log);
        output.WriteLine($"SCENARIO SIGTERM mid-epoch | {victimPhase} preempted ({preempted.Reason}); resumed at epoch 1 elsewhere | " +
            $"the steps of epoch 1 done before the signal | attempts {phase.Attempt}, counted {phase.CountedAttempts}");
    }
}
