using System.Collections;
using CloudAssembly.Contracts;
using CloudAssembly.Model.Checkpoints;
using CloudAssembly.Storage;
using CloudAssembly.Training.Checkpoints;
using CloudAssembly.Training.Engine;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Tests;

/// <summary>
/// A SIGTERM that reaches one pod of a multi-node phase: the ranks agree on the step to stop after, rank 0 writes
/// that step's checkpoint (with every rank's drop-path generator), and the next attempt resumes there and ends where
/// an uninterrupted run ends, bit for bit. Two ranks
/// meeting in a folder blob store (<see cref="Distributed.StoreGroup"/>), as two trainer pods do, here side by side.
/// </summary>
public class MultiRankPreemptionTests
{
    /// <summary>2 ranks × 32 images, 4 steps in the epoch; both pods read and rank 0 writes <paramref name="folder"/>, as pods share the attempt's checkpoint.</summary>
    private static TrainOptions Pod(string folder, int rank) =>
        FashionMnist.Phase(folder, epochs: 1, trainLimit: 256, evalLimit: 32) with
        {
            Phase = Phase.E2E,
            BatchSize = 32,
            WorldSize = 2,
            Rank = rank,
            // Drop-path on, so each rank's generator state must come back as that rank's.
            DropPath = 0.1,
            Mixup = 0,
            Cutmix = 0,
            WarmupEpochs = 0,
            NumWorkers = 1,
        };

    /// <summary>One attempt: both ranks in a fresh meeting, rank <paramref name="preempted"/> (if any) told to stop before its first step; what each rank's run ended with.</summary>
    private static async Task<Exception?[]> Attempt(string folder, int? preempted, Action<PhaseEvent> observer)
    {
        var meeting = new Distributed.RankMeeting(new FolderBlobStore(PhaseFixtures.TempFolder()), "attempt/", TimeSpan.FromMinutes(2));
        var ranks = Enumerable.Range(0, 2).Select(rank => Task.Run(() =>
        {
            using var preempt = new CancellationTokenSource();
            if (rank == preempted)
                preempt.Cancel();
            try
            {
                new PhaseRunner(Pod(folder, rank), UnaugmentedData.Create, rank == 0 ? observer : null, meeting: meeting).Run(default, preempt.Token);
                return null;
            }
            catch (Exception e)
            {
                return e;
            }
        }));
        return await Task.WhenAll(ranks);
    }

    private static Dictionary<string, Tensor> FinalState(string folder)
    {
        var checkpoint = TorchLoadReader.Read(Path.Combine(folder, CheckpointDirectory.FinishedName));
        var state = new Dictionary<string, Tensor>();
        foreach (var (stage, i) in PhaseCheckpoint.Stages(checkpoint, folder).Select((s, i) => (s, i)))
            foreach (var (name, t) in stage)
                state[$"{i}.{name}"] = t;
        foreach (DictionaryEntry e in (IDictionary)((IDictionary)checkpoint["optimizer"]!)["state"]!)
            state[$"exp_avg_sq.{e.Key}"] = (Tensor)((IDictionary)e.Value!)["exp_avg_sq"]!;
        return state;
    }

    [Fact]
    public async Task A_preemption_of_one_rank_stops_both_after_the_same_step_and_the_resume_ends_where_an_uninterrupted_run_ends()
    {
        var uninterrupted = PhaseFixtures.TempFolder();
        Assert.Equal([null, null], await Attempt(uninterrupted, preempted: null, _ => { }));

        var folder = PhaseFixtures.TempFolder();
        var saved = new List<StepCheckpointSaved>();
        var stopped = await Attempt(folder, preempted: 1, e => { if (e is StepCheckpointSaved s) saved.Add(s); });

        // Rank 1's SIGTERM reached rank 0 through the step's agreement: both stopped as preempted, neither failed.
        Assert.IsType<Distributed.PeerPreemptedException>(stopped[0]);
        Assert.IsType<OperationCanceledException>(stopped[1]);
        Assert.Equal([(0, 1, 4)], saved.Select(s => (s.Epoch, s.Step, s.Steps)));
        Assert.Equal(["checkpoint-0-step1.pth"], Directory.GetFiles(folder, "*.pth").Select(Path.GetFileName));

        var progress = new List<StepProgress>();
        Assert.Equal([null, null], await Attempt(folder, preempted: null, e => { if (e is StepProgress p) progress.Add(p); }));

        Assert.NotEmpty(progress);
        Assert.All(progress, p => Assert.True(p.Step > 1, $"the resumed attempt trained step {p.Step} again"));
        var a = FinalState(uninterrupted);
        var b = FinalState(folder);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, t) in a)
            Assert.True(t.eq(b[name]).all().item<bool>(), $"{name} differs between the preempted and the uninterrupted run");
    }
}
