using System.Collections;
using System.Text.Json;
using CloudAssembly.Contracts;
using CloudAssembly.Model.Checkpoints;
using CloudAssembly.Pipeline;
using CloudAssembly.Storage;
using CloudAssembly.TestSupport;
using CloudAssembly.Training.Checkpoints;
using CloudAssembly.Training.Distributed;
using CloudAssembly.Training.Engine;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Tests;

public class DataParallelTests
{
    private static TrainOptions OneStep(string folder, int worldSize, int batch) =>
        FashionMnist.Phase(folder, epochs: 1, trainLimit: 64, evalLimit: 32) with
        {
            Phase = Phase.E2E,
            BatchSize = batch,
            WorldSize = worldSize,
            Devices = worldSize > 1 ? [.. Enumerable.Repeat("cpu", worldSize)] : [],
            DropPath = 0,
            Mixup = 0,
            Cutmix = 0,
            WarmupEpochs = 0,
            NumWorkers = 1,
        };

    private static List<JsonElement> Log(string folder) =>
        [.. File.ReadAllLines(Path.Combine(folder, "log.txt")).Select(l => JsonDocument.Parse(l).RootElement)];

    [Fact]
    public void Two_ranks_on_threads_make_the_same_step_as_one_rank_on_both_halves()
    {
        var single = PhaseFixtures.TempFolder();
        new PhaseRunner(OneStep(single, 1, 64), UnaugmentedData.Create).Run();
        var pair = PhaseFixtures.TempFolder();
        var result = new PhaseRunner(OneStep(pair, 2, 32), UnaugmentedData.Create).Run();

        // The replicas' bitwise equality after the step is checked by the engine at the epoch's end (it throws otherwise).
        SameStep.Assert(single, pair, "1 rank x 64 and 2 ranks x 32");
        Assert.Equal(1, result.EpochsTrained);
    }

    [Fact]
    public async Task Two_pods_of_two_thread_ranks_meeting_in_a_blob_store_make_the_step_of_four_thread_ranks()
    {
        var four = PhaseFixtures.TempFolder();
        new PhaseRunner(OneStep(four, 4, 16), UnaugmentedData.Create).Run();

        // Two "pods" (here two runners side by side), each with two CPU devices as threads, ranks 0-1 and 2-3.
        var meeting = new RankMeeting(new FolderBlobStore(PhaseFixtures.TempFolder()), "runs/r/PT/attempt-1/", TimeSpan.FromMinutes(2));
        var pods = PhaseFixtures.TempFolder();
        var runners = new[] { 0, 2 }.Select(first => Task.Run(() => new PhaseRunner(
            OneStep(first == 0 ? pods : PhaseFixtures.TempFolder(), 4, 16) with { Devices = ["cpu", "cpu"], Rank = first },
            UnaugmentedData.Create, meeting: meeting).Run())).ToArray();
        var results = await Task.WhenAll(runners);

        SameStep.Assert(four, pods, "4 thread ranks and 2 pods x 2 thread ranks");
        Assert.Null(results[1].FinishedCheckpoint);
    }

    [Fact]
    public void Only_rank_zero_writes_and_the_log_and_lr_follow_the_effective_batch_of_all_ranks()
    {
        // recipe.json's schedule for --epochs 2 --warmup-epochs 0 at effective batch 128: here 2 ranks x 32 x update_freq 2.
        var schedule = RecipeReference.Section("schedules").EnumerateArray()
            .Single(s => s.GetProperty("flags").GetString() == "--epochs 2 --warmup-epochs 0" && s.GetProperty("effective_batch").GetInt32() == 128);
        var folder = PhaseFixtures.TempFolder();
        var options = OneStep(folder, 2, 32) with { Epochs = 2, UpdateFreq = 2, TrainLimit = 128 };
        Assert.Equal(128, options.EffectiveBatch);
        var messages = new List<string>();
        new PhaseRunner(options, UnaugmentedData.Create, e => { if (e is PhaseMessage m) lock (messages) messages.Add(m.Text); }).Run();

        var log = Log(folder);
        Assert.Equal(2, log.Count);
        var expected = schedule.GetProperty("lr_per_epoch").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (var epoch = 0; epoch < 2; epoch++)
        {
            Assert.Equal(epoch, log[epoch].GetProperty("epoch").GetInt32());
            Assert.Equal(128, log[epoch].GetProperty("effective_batch").GetInt32());
            Assert.Equal(2, log[epoch].GetProperty("world_size").GetInt32());
            var lr = log[epoch].GetProperty("train_lr").GetDouble();
            Assert.True(Math.Abs(lr - expected[epoch]) <= 1e-9 * expected[epoch], $"epoch {epoch}: lr {lr} vs official {expected[epoch]}");
        }
        Assert.Single(messages, m => m.Contains("effective batch 2 x 32 x 2 = 128"));
        Assert.Equal(["checkpoint-0.pth", "checkpoint-1.pth", CheckpointDirectory.FinishedName, "log.txt", "steps.txt"],
            Directory.GetFiles(folder).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Resuming_with_another_world_size_continues_and_says_the_effective_batch_changed()
    {
        var folder = PhaseFixtures.TempFolder();
        // Stopped after epoch 0 (the observer's exception stands in for a crash), then resumed on 2 ranks.
        Assert.Throws<OperationCanceledException>(() => new PhaseRunner(OneStep(folder, 1, 32) with { Epochs = 2 }, UnaugmentedData.Create,
            e => { if (e is EpochCompleted) throw new OperationCanceledException(); }).Run());
        var messages = new List<PhaseMessage>();
        var result = new PhaseRunner(OneStep(folder, 2, 32) with { Epochs = 2 }, UnaugmentedData.Create,
            e => { if (e is PhaseMessage m) lock (messages) messages.Add(m); }).Run();
        Assert.Equal(1, result.EpochsTrained);
        Assert.Contains(messages, m => m.IsWarning && m.Text.Contains("effective batch changed from 32 (1 ranks) to 64 (2 ranks)"));
        Assert.Equal([32, 64], Log(folder).Select(l => l.GetProperty("effective_batch").GetInt32()));
    }

    [Fact]
    public void A_run_spec_phase_on_two_devices_trains_as_two_ranks_of_one_process()
    {
        var spec = RunSpec.FashionMnistDemo() with
        {
            Pretrain = RunSpec.FashionMnistDemo().Pretrain with { Epochs = 1, BatchSize = 32, DevicesPerNode = 2 },
            TrainLimit = 128,
            EvalLimit = 32,
            DataPath = FashionMnist.Path,
        };
        var folder = PhaseFixtures.TempFolder();
        var options = PhasePlanner.Pretrain(spec, folder, "cpu") with { NumWorkers = 1 };
        Assert.Equal((2, 64), (options.WorldSize, options.EffectiveBatch));
        Assert.Equal(["cpu", "cpu"], options.Devices);
        var messages = new List<string>();
        new PhaseRunner(options, PhaseDataFactory.Create, e => { if (e is PhaseMessage m) lock (messages) messages.Add(m.Text); }).Run();
        Assert.Contains(messages, m => m.Contains("data-parallel over 2 ranks (2 ranks on threads of one process)"));
        Assert.Equal(64, Log(folder).Single().GetProperty("effective_batch").GetInt32());
    }

    [Fact]
    public void The_official_recipe_trains_every_phase_at_effective_batch_2048_on_eight_devices_or_on_one()
    {
        var official = new RunSpec();
        var onOne = official.OnOneDevice();
        foreach (var (eight, one) in new[] { (official.Pretrain, onOne.Pretrain), (official.Modules, onOne.Modules), (official.Finetune, onOne.Finetune) })
        {
            Assert.Equal((8, OfficialRecipe.EffectiveBatch), (eight.WorldSize, eight.EffectiveBatch));
            Assert.Equal((1, OfficialRecipe.EffectiveBatch, eight.BatchSize), (one.WorldSize, one.EffectiveBatch, one.BatchSize));
        }
        Assert.Equal([8, 16, 32], new[] { onOne.Pretrain, onOne.Modules, onOne.Finetune }.Select(r => r.UpdateFreq));
        var single = PhasePlanner.Pretrain(official, ".", "cuda") with { WorldSize = 1, Devices = [] };
        Assert.Equal("vit_base_patch16_224: effective batch 1 x 256 x 1 = 256 differs from the official 2048 " +
            "(8 GPUs: PT 8 x 256, MT 8 x 128 x 2, FT 8 x 64 x 4; on one GPU: 256 x 8, 128 x 16, 64 x 32); " +
            "the lr is scaled to 256/512, but results may differ from the paper's.", OfficialRecipe.BatchWarning(single));
        Assert.Null(OfficialRecipe.BatchWarning(PhasePlanner.Pretrain(official, ".", "cuda")));
        Assert.Equal(["cuda:0", "cuda:1", "cuda:2", "cuda:3", "cuda:4", "cuda:5", "cuda:6", "cuda:7"], PhasePlanner.Pretrain(official, ".", "cuda").Devices);
    }

    [Fact]
    public void Replicas_that_drift_apart_stop_the_phase()
    {
        using var group = new ThreadGroup(2);
        var errors = new Exception?[2];
        Parallel.For(0, 2, rank =>
        {
            using var parameters = ones(1000) * (rank == 0 ? 1f : 1.0001f);
            errors[rank] = Record.Exception(() => DataParallel.CheckReplicas(parameters, group.Members[rank], "PT", 3));
        });
        Assert.All(errors, e => Assert.Contains("after epoch 3 the parameters of rank", Assert.IsType<ReplicaDriftException>(e).Message));

        Parallel.For(0, 2, rank =>
        {
            using var parameters = arange(1000, dtype: ScalarType.Float32);
            DataParallel.CheckReplicas(parameters, group.Members[rank], "PT", 3);
        });
    }

    [Fact]
    public async Task A_failing_rank_stops_the_other_instead_of_leaving_it_waiting()
    {
        using var group = new ThreadGroup(2);
        var waiting = Task.Run(() => Record.Exception(() => group.Members[1].AllReduce(zeros(4), ReduceOp.Sum)));
        group.Fail();
        Assert.IsType<RankFailedException>(await waiting);
    }

    [Fact]
    public void Thread_ranks_sum_in_one_order_so_every_rank_gets_the_same_bits()
    {
        using var group = new ThreadGroup(3);
        var buffers = Enumerable.Range(0, 3).Select(r => randn(1001, generator: new Generator((ulong)r + 1))).ToArray();
        var expected = buffers[0] + buffers[1] + buffers[2];
        Parallel.For(0, 3, new ParallelOptions { MaxDegreeOfParallelism = 3 }, rank => group.Members[rank].AllReduce(buffers[rank], ReduceOp.Sum));
        Assert.All(buffers, b => Assert.True(b.eq(expected).all().item<bool>()));
    }
}
