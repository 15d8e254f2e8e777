using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Storage;
using CloudAssembly.Training.Engine;
using Xunit.Abstractions;

namespace CloudAssembly.Services.Tests;

[Collection("services")]
public class FencingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_trainer_paused_past_its_lease_writes_nothing_after_it_wakes_and_the_new_attempt_resumes_from_the_newest_readable_checkpoint()
    {
        await using var cluster = await ServiceCluster.StartAsync(trainers: 2);
        var harness = new RunHarness(cluster.Bus, cluster.Runs, $"zombie-{Guid.NewGuid():N}"[..17]);
        var startedOn = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        PhaseKey? victimPhase = null;
        ServiceProcess? victim = null;
        string? corrupted = null;
        Dictionary<string, string>? frozenFiles = null;
        Task? chaos = null;
        object outcome;
        try
        {
            outcome = await harness.RunAsync(TinyRun.Fast(moduleEpochs: 3), e =>
            {
                if (e is PhaseStarted s)
                    startedOn[s.AttemptId] = s.Trainer;
                if (e is PhaseProgress { Accuracy: not null, Epoch: 1 } p && p.Phase.Kind == PhaseKind.MT
                    && Interlocked.CompareExchange(ref victimPhase, p.Phase, null) is null)
                {
                    victim = cluster.Process(startedOn[p.AttemptId]);
                    victim.Pause();
                    output.WriteLine($"paused {victim.Name} (SIGSTOP) in {p.Phase}, epochs 0 and 1 checkpointed");
                    chaos = Task.Run(async () =>
                    {
                        var pointer = (await new PointerStore(cluster.Store).TryReadAsync(BlobLayout.Pointer(harness.RunId, p.Phase), default))!.Value.Pointer;
                        corrupted = pointer.Checkpoints[0].Blob;
                        await cluster.Store.PutAsync(corrupted, new MemoryStream(new byte[4096]));
                        output.WriteLine($"overwrote the newest checkpoint {corrupted} with zeros");
                    });
                }
                if (e is PhaseStarted { AttemptId: var retry } && victimPhase is { } phase && retry == $"{harness.RunId}.{phase}.2")
                    chaos = chaos!.ContinueWith(async _ =>
                    {
                        frozenFiles = await FilesAsync(cluster.Store, BlobLayout.AttemptFolder(harness.RunId, phase, 1));
                        victim!.Resume();
                        output.WriteLine($"attempt 2 started on {startedOn[retry]}; resumed {victim.Name} (SIGCONT)");
                    }).Unwrap();
            });
            await chaos!;
            await WaitForAsync(() => victim!.Log.Contains("stopped without writing further", StringComparison.Ordinal));
        }
        finally
        {
            output.WriteLine(cluster.Logs);
        }

        Assert.IsType<RunCompleted>(outcome);
        var run = (await cluster.Runs.TryGetAsync(harness.RunId, default))!.Value.Run;
        Assert.Equal(2, run.Phases[victimPhase!].Attempt);
        // Nothing of attempt 1 was written after it woke: every blob left is the one frozen (attempt 2 may delete those its
        // pointer no longer keeps).
        var after = await FilesAsync(cluster.Store, BlobLayout.AttemptFolder(harness.RunId, victimPhase!, 1));
        Assert.All(after, blob => Assert.Equal(frozenFiles!.GetValueOrDefault(blob.Key), blob.Value));
        Assert.Contains("lost its lease to a newer attempt", victim!.Log);
        var pointer = (await new PointerStore(cluster.Store).TryReadAsync(BlobLayout.Pointer(harness.RunId, victimPhase!), default))!.Value.Pointer;
        Assert.Equal(2, pointer.Attempt);
        Assert.Equal(BlobLayout.Finished(harness.RunId, victimPhase!, 2), pointer.Finished);
        Assert.Equal(pointer.Finished, run.Phases[victimPhase!].Checkpoint);
        // Resumed from epoch 0 (epoch 1's checkpoint was unreadable): the log of the run is epoch 0 from attempt 1, then 1 and 2.
        await using var log = await cluster.Store.GetAsync(pointer.Log!);
        var epochs = new StreamReader(log.Content).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => EpochLog.FromJson(l)!.Epoch).ToList();
        Assert.Equal([0, 1, 1, 2], epochs);
        var replacement = cluster.Process(startedOn[$"{harness.RunId}.{victimPhase}.2"]);
        Assert.Contains($"Skipping", replacement.Log);
        Assert.Contains("checkpoint-0.pth: continuing at epoch 1", replacement.Log);
        output.WriteLine($"SCENARIO paused trainer | {victimPhase}: {victim!.Name} frozen past its lease, woke after attempt 2 began, " +
            $"wrote 0 blobs and stopped; newest checkpoint corrupt, resumed from epoch 0 | 1 epoch redone | attempts {run.Phases[victimPhase!].Attempt}");
    }

    private static async Task<Dictionary<string, string>> FilesAsync(IBlobStore store, string prefix)
    {
        var files = new Dictionary<string, string>();
        await foreach (var blob in store.ListAsync(prefix))
            files[blob.Name] = blob.ETag;
        return files;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 120 && !condition(); i++)
            await Task.Delay(500);
        Assert.True(condition(), "the condition did not come true within a minute");
    }
}
