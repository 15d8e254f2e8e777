using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using Xunit.Abstractions;

namespace CloudAssembly.Services.Tests;

/// <summary>
/// Authority judged by the sender RabbitMQ validated: each service and the submitter on its own broker user, as on
/// Kubernetes, and forged messages sent on other real broker users while a run trains.
/// </summary>
[Collection("services")]
public class BrokerAuthorityTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_cancel_by_another_submitter_a_completion_nobody_published_and_phase_events_from_a_non_service_user_change_nothing()
    {
        await using var cluster = await ServiceCluster.StartAsync(trainers: 1, ownBrokerUsers: true);
        var mallory = await cluster.ConnectAsNewUserAsync("submitter", "mallory");
        var trainerUser = await cluster.ConnectAsAsync("Trainer");
        // The operator role may write to every exchange (definitions.json), but is no service.
        var ops = await cluster.ConnectAsNewUserAsync("operator", "ops");
        var harness = new RunHarness(cluster.Bus, cluster.Runs, $"auth-{Guid.NewGuid():N}"[..16]);
        var forged = new List<string>();
        object outcome;
        try
        {
            outcome = await harness.RunAsync(TinyRun.Fast(), e =>
            {
                if (e is not PhaseStarted { Phase.Kind: PhaseKind.PT } started || forged.Count > 0)
                    return;
                // While PT trains: another submitter cancels the run; the trainers' own user claims PT finished with a
                // checkpoint that was never published; a human operator's user fails PT's current attempt. (A submitter
                // cannot even publish a phase event: its broker permissions refuse the exchange.)
                forged.Add("cancel by mallory");
                mallory.Publish(new CancelRun(harness.RunId, "mallory wants the GPUs")).GetAwaiter().GetResult();
                forged.Add("completion with an unpublished checkpoint on the trainer user");
                trainerUser.Publish(new PhaseCompleted(harness.RunId, PhaseKey.Pretrain, started.AttemptId,
                    BlobLayout.Finished(harness.RunId, PhaseKey.Pretrain, 1), new PhaseMetrics(99, 99, 0, 1, 1, 1, 1))).GetAwaiter().GetResult();
                forged.Add("phase failure sent on an operator's user");
                ops.Publish(new PhaseFailed(harness.RunId, PhaseKey.Pretrain, started.AttemptId, "forged", Retryable: false)).GetAwaiter().GetResult();
            }, TimeSpan.FromMinutes(6));
        }
        finally
        {
            await mallory.StopAsync();
            await trainerUser.StopAsync();
            await ops.StopAsync();
            output.WriteLine(cluster.Logs);
        }

        Assert.Equal(3, forged.Count);
        Assert.IsType<RunCompleted>(outcome);
        var run = (await cluster.Runs.TryGetAsync(harness.RunId, default))!.Value.Run;
        Assert.EndsWith("-submitter", run.Owner);
        var pt = run.Phases[PhaseKey.Pretrain];
        Assert.Equal((PhaseStatus.Completed, 1, null), (pt.Status, pt.Attempt, pt.Error));
        Assert.NotEqual(99, pt.Metrics!.Acc1);
        var assembler = cluster.Process("assembler").Log;
        Assert.Contains($"Cancel of run {harness.RunId} by broker user '", assembler);
        Assert.Contains("-mallory' refused: the run belongs to '", assembler);
        Assert.Contains("which its pointer never published; dropped", assembler);
        Assert.Contains("-ops' dropped: only ", assembler);
        output.WriteLine($"SCENARIO forged messages on real broker users ({string.Join("; ", forged)}) | all refused, run.json untouched by them | " +
            "none | attempts 1");
    }
}
