using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using Xunit.Abstractions;

namespace CloudAssembly.Services.Tests;

[Collection("services")]
public class PreemptionTests(ITestOutputHelper output)
{
    /// <summary>
    /// The signal comes as epoch 0's checkpoint is uploaded, so the trainer either stops after a step of epoch 1 (and
    /// uploads a checkpoint of that step) or, still between epochs, at the end of epoch 0; either way the next attempt
    /// trains only the steps not yet taken.
    /// </summary>
    [Fact]
    public async Task A_trainer_sent_SIGTERM_mid_epoch_reports_the_phase_preempted_exits_and_the_phase_resumes_elsewhere_without_using_an_attempt()
    {
        await using var cluster = await ServiceCluster.StartAsync(trainers: 2);
        var harness = new RunHarness(cluster.Bus, cluster.Runs, $"preempt-{Guid.NewGuid():N}"[..18]);
        var startedOn = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        PhaseKey? victimPhase = null;
        ServiceProcess? victim = null;
        Task? spare = null;
        object outcome;
        try
        {
            outcome = await harness.RunAsync(TinyRun.Fast(moduleEpochs: 3), e =>
            {
                if (e is PhaseStarted s)
                    startedOn[s.AttemptId] = s.Trainer;
                if (e is PhaseProgress { Accuracy: not null, Epoch: 0 } p && p.Phase.Kind == PhaseKind.MT
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
        Assert.Contains("nothing is redone", preempted.Reason);
        var phase = (await cluster.Runs.TryGetAsync(harness.RunId, default))!.Value.Run.Phases[victimPhase!];
        Assert.Equal((2, 1, 1), (phase.Attempt, phase.Preemptions, phase.CountedAttempts));
        // The preempted attempt's time, as its trainer measured it, counts in the phase's cost as lost.
        var lost = Assert.Single(phase.Lost);
        Assert.Equal((1, LostAttemptEnd.Preempted, victim.Name), (lost.Attempt, lost.End, lost.Trainer));
        Assert.True(lost.DeviceSeconds > 0 && lost.DeviceSeconds == preempted.DeviceSeconds, $"lost {lost.DeviceSeconds} s, reported {preempted.DeviceSeconds} s");
        Assert.Equal(lost.DeviceSeconds, phase.Metrics!.LostDeviceSeconds);
        var within = System.Text.RegularExpressions.Regex.Match(preempted.Reason, @"after step (\d+) of epoch (\d+)");
        var (epoch, step) = within.Success ? (int.Parse(within.Groups[2].Value), int.Parse(within.Groups[1].Value)) : (1, 0);
        Assert.True(within.Success || preempted.Reason.Contains("at the end of epoch 0"), preempted.Reason);
        var resumed = $"{harness.RunId}.{victimPhase}.2";
        Assert.Contains(within.Success ? $"continuing at epoch {epoch} of 3, after its step {step}." : "continuing at epoch 1 of 3.",
            cluster.Process(startedOn[resumed]).Log);
        // The resumed attempt reports only steps after the one saved (progress at step 0 is an epoch's evaluation).
        Assert.All(harness.Of<PhaseProgress>().Where(p => p.AttemptId == resumed && p.Step > 0),
            p => Assert.True(p.Epoch > epoch || (p.Epoch == epoch && p.Step > step), $"attempt 2 trained epoch {p.Epoch} step {p.Step} again"));
        output.WriteLine($"SCENARIO SIGTERM mid-epoch | {victimPhase} preempted ({preempted.Reason}); resumed elsewhere at epoch {epoch} after step {step} | " +
            $"nothing | attempts {phase.Attempt}, counted {phase.CountedAttempts}");
    }
}
