using CloudAssembly.Contracts;
using CloudAssembly.Cli.Client;
using CloudAssembly.Orchestration.Runs;
using Xunit.Abstractions;

namespace CloudAssembly.Services.Tests;

[Collection("services")]
public class MultiPodTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_phase_on_two_pods_runs_on_two_trainers_a_killed_rank_fails_the_whole_attempt_and_both_resume_from_the_last_checkpoint()
    {
        await using var cluster = await ServiceCluster.StartAsync(trainers: 2);
        var harness = new RunHarness(cluster.Bus, cluster.Runs, $"pods-{Guid.NewGuid():N}"[..16]);
        var fast = TinyRun.Fast();
        // PT on two pods (one CPU rank each, meeting through the blob store), eight steps an epoch per rank.
        var spec = fast with { Pretrain = fast.Pretrain with { Epochs = 2, BatchSize = 32, Nodes = 2 }, TrainLimit = 512 };
        string? nodeZero = null, victim = null;
        Task? replacement = null;
        object outcome;
        try
        {
            outcome = await harness.RunAsync(spec, e =>
            {
                if (e is PhaseStarted { Phase.Kind: PhaseKind.PT } s)
                    nodeZero ??= s.Trainer;
                // Epoch 0 is checkpointed (its end is reported after the upload): both ranks are in epoch 1 by then.
                if (e is PhaseProgress { Phase.Kind: PhaseKind.PT, Epoch: 0, Accuracy: not null } && nodeZero is not null
                    && Interlocked.CompareExchange(ref victim, nodeZero == "trainer-1" ? "trainer-2" : "trainer-1", null) is null)
                {
                    output.WriteLine($"SIGKILL to {victim}, node 1 of PT (node 0 is {nodeZero}); starting trainer-3 as its replacement pod");
                    cluster.Process(victim).Kill();
                    replacement = cluster.StartServiceAsync("Trainer", "trainer-3");
                }
            }, TimeSpan.FromMinutes(8));
            await replacement!;
        }
        finally
        {
            output.WriteLine(cluster.Logs);
        }

        Assert.IsType<RunCompleted>(outcome);
        Assert.NotNull(victim);
        var pt = (await cluster.Runs.TryGetAsync(harness.RunId, default))!.Value.Run.Phases[PhaseKey.Pretrain];
        Assert.Equal((PhaseStatus.Completed, 2), (pt.Status, pt.Attempt));
        var redispatched = Assert.Single(harness.Of<PhaseRedispatched>(), r => r.Phase == PhaseKey.Pretrain);
        Assert.Contains($"trainer '{victim}' (node 1 of 2)", redispatched.Reason);
        Assert.Contains("the whole attempt fails and all 2 nodes start again from the last checkpoint", redispatched.Reason);

        // Resumed, not restarted: each epoch once in the log, epoch 1 by attempt 2, both at world size 2; the
        // replicas' checksums agreed at every epoch end (a drift would have failed the phase).
        var (log, epochs) = await cluster.PhaseLogAsync(harness.RunId, PhaseKey.Pretrain);
        Assert.Equal(BlobLayout.Log(harness.RunId, PhaseKey.Pretrain, 2), log);
        Assert.Equal([0, 1], epochs.Select(e => e.Epoch));
        Assert.All(epochs, e => Assert.Equal((2, 64), (e.WorldSize, e.EffectiveBatch)));
        Assert.Contains(cluster.Processes, p => p.Log.Contains($"Resumed from", StringComparison.Ordinal) && p.Log.Contains("continuing at epoch 1", StringComparison.Ordinal));

        // Only node 0 wrote the phase's files (checkpoints, log, the finished model); the ranks' exchange blobs
        // (rendezvous, all-reduce buffers) were deleted once PT finished.
        var folder = BlobLayout.PhaseFolder(harness.RunId, PhaseKey.Pretrain);
        var blobs = cluster.Store.ListAsync(folder).ToBlockingEnumerable().Select(b => b.Name[folder.Length..]).ToList();
        output.WriteLine($"PT blobs: {string.Join(", ", blobs)}");
        Assert.All(blobs, b => Assert.Matches(@"^(latest\.json|lease-[01]\.json|attempt-[12]/(checkpoint-[01]\.pth|log\.txt|steps\.txt|finished_checkpoint\.pth))$", b));
        Assert.Contains("attempt-2/finished_checkpoint.pth", blobs);
        output.WriteLine($"SCENARIO rank SIGKILLed mid-epoch on a 2-pod PT | attempt 1 failed as a whole ({redispatched.Reason}); both nodes resumed at " +
            "epoch 1 | the steps of epoch 1 before the kill | attempts 2");
    }

    [Fact]
    public async Task A_rendezvous_that_never_fills_fails_the_attempt_with_the_missing_rank_and_releases_the_trainer()
    {
        // One trainer for a phase of two nodes: each attempt's node that is claimed waits for the other in vain.
        await using var cluster = await ServiceCluster.StartAsync(trainers: 1,
            settings: new Dictionary<string, string> { ["Trainer__RendezvousTimeout"] = "00:00:04" });
        var harness = new RunHarness(cluster.Bus, cluster.Runs, $"rdv-{Guid.NewGuid():N}"[..16]);
        var fast = TinyRun.Fast();
        object outcome;
        try
        {
            outcome = await harness.RunAsync(fast with { Pretrain = fast.Pretrain with { Nodes = 2 } }, timeout: TimeSpan.FromMinutes(4));
        }
        finally
        {
            output.WriteLine(cluster.Logs);
        }

        var failed = Assert.IsType<RunFailed>(outcome);
        output.WriteLine($"BAD INPUT a 2-node phase with one trainer: {failed.Reason}");
        Assert.StartsWith("PT failed after 3 attempt(s): node ", failed.Reason);
        // The one trainer claimed attempt 3 too: each timed-out attempt gave its slot back.
        Assert.Contains("(trainer 'trainer-1'): Rendezvous", failed.Reason);
        Assert.Contains("/PT/attempt-3/rendezvous/", failed.Reason);
        Assert.Matches(@"did not fill within 4 s: rank\(s\) [01] of 2 never joined", failed.Reason);
        Assert.Equal(2, harness.Of<PhaseRedispatched>().Count(r => r.Phase == PhaseKey.Pretrain));
        Assert.Equal(0, (await cluster.Runs.TryGetAsync(harness.RunId, default))!.Value.Run.Phases[PhaseKey.Pretrain].Preemptions);
    }
}
