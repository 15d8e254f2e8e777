using System.Text.Json;
using CloudAssembly.Contracts;
using CloudAssembly.Model.Checkpoints;
using CloudAssembly.TestSupport;
using CloudAssembly.Training.Checkpoints;
using CloudAssembly.Training.Engine;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Tests;

public class ResumeTests
{
    private static Dictionary<string, Tensor> FinalState(string folder)
    {
        var checkpoint = TorchLoadReader.Read(Path.Combine(folder, CheckpointDirectory.FinishedName));
        var state = new Dictionary<string, Tensor>();
        foreach (var (stage, i) in PhaseCheckpoint.Stages(checkpoint, folder).Select((s, i) => (s, i)))
            foreach (var (name, t) in stage)
                state[$"{i}.{name}"] = t;
        var optimizer = (System.Collections.IDictionary)((System.Collections.IDictionary)checkpoint["optimizer"]!)["state"]!;
        foreach (System.Collections.DictionaryEntry e in optimizer)
        {
            var s = (System.Collections.IDictionary)e.Value!;
            state[$"exp_avg.{e.Key}"] = (Tensor)s["exp_avg"]!;
            state[$"exp_avg_sq.{e.Key}"] = (Tensor)s["exp_avg_sq"]!;
        }
        return state;
    }

    [Fact]
    public void Resume_from_checkpoint_matches_uninterrupted_run_bitwise()
    {
        var uninterrupted = PhaseFixtures.TempFolder();
        new PhaseRunner(FashionMnist.Phase(uninterrupted, epochs: 3), PhaseDataFactory.Create).Run();

        var interrupted = PhaseFixtures.TempFolder();
        using (var kill = new CancellationTokenSource())
        {
            var runner = new PhaseRunner(FashionMnist.Phase(interrupted, epochs: 3), PhaseDataFactory.Create,
                e => { if (e is EpochCompleted { Log.Epoch: 1 }) kill.Cancel(); });
            Assert.ThrowsAny<OperationCanceledException>(() => runner.Run(kill.Token));
        }
        Assert.False(File.Exists(Path.Combine(interrupted, CheckpointDirectory.FinishedName)));
        var messages = new List<string>();
        new PhaseRunner(FashionMnist.Phase(interrupted, epochs: 3), PhaseDataFactory.Create,
            e => { if (e is PhaseMessage m) messages.Add(m.Text); }).Run();
        Assert.Contains(messages, m => m.Contains("continuing at epoch 2"));

        var a = FinalState(uninterrupted);
        var b = FinalState(interrupted);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, t) in a)
            Assert.True(t.eq(b[name]).all().item<bool>(), $"{name} differs between the resumed and the uninterrupted run");
    }

    /// <summary>
    /// FT's figure "straight out of assembly" is the accuracy before training; an attempt that resumes from an epoch
    /// checkpoint starts from trained weights and cannot measure it, so it reports the one its first attempt measured.
    /// </summary>
    [Fact]
    public void A_resumed_phase_reports_the_accuracy_before_training_that_its_first_attempt_measured()
    {
        var uninterrupted = new PhaseRunner(FashionMnist.Phase(PhaseFixtures.TempFolder(), epochs: 2) with { EvaluateBeforeTraining = true },
            PhaseDataFactory.Create).Run();

        var interrupted = FashionMnist.Phase(PhaseFixtures.TempFolder(), epochs: 2) with { EvaluateBeforeTraining = true };
        using (var kill = new CancellationTokenSource())
        {
            var runner = new PhaseRunner(interrupted, PhaseDataFactory.Create, e => { if (e is EpochCompleted { Log.Epoch: 0 }) kill.Cancel(); });
            Assert.ThrowsAny<OperationCanceledException>(() => runner.Run(kill.Token));
        }
        var resumed = new PhaseRunner(interrupted, PhaseDataFactory.Create).Run();

        Assert.NotNull(uninterrupted.InitialEval);
        Assert.Equal(uninterrupted.InitialEval, resumed.InitialEval);
    }

    /// <summary>
    /// Preempted before it starts, a phase takes one step and stops with a checkpoint of it; so a run (2 micro-batches
    /// per step, 8 steps per epoch) stopped twice in
    /// epoch 0 (after steps 1 and 2), once at the end of epoch 0 and once after step 1 of epoch 1 ends where an
    /// uninterrupted run ends, bit for bit, with the same train losses in log.txt, and each resume trains only the
    /// steps not yet taken.
    /// </summary>
    [Fact]
    public void A_phase_preempted_inside_an_epoch_resumes_at_its_next_step_and_matches_the_uninterrupted_run_bitwise()
    {
        // Two accumulated micro-batches per step: a stop comes only at a step's end, and a resume skips whole steps.
        static TrainOptions Accumulating(string folder) => FashionMnist.Phase(folder, epochs: 2) with { BatchSize = 32, UpdateFreq = 2 };
        var uninterrupted = PhaseFixtures.TempFolder();
        new PhaseRunner(Accumulating(uninterrupted), PhaseDataFactory.Create).Run();

        var interrupted = PhaseFixtures.TempFolder();
        var options = Accumulating(interrupted);
        var saved = new List<StepCheckpointSaved>();
        void Preempted(Func<CancellationTokenSource, Action<PhaseEvent>> observe, bool before)
        {
            using var preempt = new CancellationTokenSource();
            if (before)
                preempt.Cancel();
            var observer = observe(preempt);
            Assert.ThrowsAny<OperationCanceledException>(() => new PhaseRunner(options, PhaseDataFactory.Create, e =>
            {
                if (e is StepCheckpointSaved s)
                    saved.Add(s);
                observer(e);
            }).Run(default, preempt.Token));
        }
        Preempted(_ => _ => { }, before: true);
        Preempted(_ => _ => { }, before: true);
        Assert.Equal(["checkpoint-0-step2.pth"], Directory.GetFiles(interrupted, "*.pth").Select(Path.GetFileName));
        Preempted(p => e => { if (e is EpochCompleted { Log.Epoch: 0 }) p.Cancel(); }, before: false);
        Assert.Equal(["checkpoint-0.pth"], Directory.GetFiles(interrupted, "*.pth").Select(Path.GetFileName));
        Preempted(_ => _ => { }, before: true);
        Assert.Equal([(0, 1, 8), (0, 2, 8), (1, 1, 8)], saved.Select(s => (s.Epoch, s.Step, s.Steps)));

        var messages = new List<string>();
        var progress = new List<StepProgress>();
        new PhaseRunner(options, PhaseDataFactory.Create, e =>
        {
            if (e is PhaseMessage m)
                messages.Add(m.Text);
            if (e is StepProgress p)
                progress.Add(p);
        }).Run();
        Assert.Contains(messages, m => m.Contains("checkpoint-1-step1.pth: continuing at epoch 1 of 2, after its step 1."));
        Assert.NotEmpty(progress);
        Assert.All(progress, p => Assert.True(p.Epoch == 1 && p.Step > 1, $"the resumed run trained epoch {p.Epoch} step {p.Step} again"));

        var a = FinalState(uninterrupted);
        var b = FinalState(interrupted);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, t) in a)
            Assert.True(t.eq(b[name]).all().item<bool>(), $"{name} differs between the preempted and the uninterrupted run");
        Assert.Equal(TrainLosses(uninterrupted), TrainLosses(interrupted));
        // steps.txt is written with each checkpoint, so the resumes sampled every step once, as the uninterrupted run did.
        Assert.Equal(StepSamples(uninterrupted), StepSamples(interrupted));
        Assert.Equal(16, StepSamples(interrupted).Count);
    }

    private static List<(int, int, int, double, double)> StepSamples(string folder) =>
        [.. StepLog.Parse(File.ReadAllText(Path.Combine(folder, StepLog.FileName))).Select(s => (s.Epoch, s.Step, s.Steps, s.TrainLoss, s.TrainLr))];

    private static List<double> TrainLosses(string folder) =>
        [.. File.ReadAllLines(Path.Combine(folder, "log.txt")).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("train_loss").GetDouble())];

    [Fact]
    public void A_truncated_latest_checkpoint_is_skipped_with_a_warning_and_training_resumes_from_the_one_before()
    {
        var folder = PhaseFixtures.TempFolder();
        var options = FashionMnist.Phase(folder, epochs: 3) with { SaveCkptNum = 3 };
        using (var kill = new CancellationTokenSource())
        {
            var runner = new PhaseRunner(options, PhaseDataFactory.Create, e => { if (e is EpochCompleted { Log.Epoch: 1 }) kill.Cancel(); });
            Assert.ThrowsAny<OperationCanceledException>(() => runner.Run(kill.Token));
        }
        var latest = Path.Combine(folder, "checkpoint-1.pth");
        var bytes = File.ReadAllBytes(latest);
        File.WriteAllBytes(latest, bytes[..(bytes.Length / 2)]);

        var warnings = new List<string>();
        var messages = new List<string>();
        new PhaseRunner(options, PhaseDataFactory.Create, e =>
        {
            if (e is PhaseMessage { IsWarning: true } w)
                warnings.Add(w.Text);
            else if (e is PhaseMessage m)
                messages.Add(m.Text);
        }).Run();
        Assert.Contains(warnings, w => w.Contains("checkpoint-1.pth") && w.Contains("truncated or corrupt"));
        Assert.Contains(messages, m => m.Contains("checkpoint-0.pth") && m.Contains("continuing at epoch 1"));
    }

    [Fact]
    public void Checkpoints_are_ordered_by_number_not_by_name()
    {
        var folder = PhaseFixtures.TempFolder();
        foreach (var epoch in new[] { 9, 10, 99, 100 })
            File.Copy(PhaseFixtures.SaveCheckpoint(PhaseFixtures.TempFolder(), "c.pth", [1, 1, 1, 1], "PT", null, epoch),
                Path.Combine(folder, $"checkpoint-{epoch}.pth"));
        var directory = new CheckpointDirectory(folder);
        Assert.Equal([100, 99, 10, 9], directory.EpochCheckpoints().Select(c => c.Epoch));
        Assert.Equal(101, directory.LatestReadable(_ => { })!.Value.StartEpoch);
    }

    [Fact]
    public void A_finished_phase_is_not_trained_again_but_eval_still_evaluates()
    {
        var folder = PhaseFixtures.TempFolder();
        var options = FashionMnist.Phase(folder, epochs: 1);
        new PhaseRunner(options, PhaseDataFactory.Create).Run();
        var finished = Path.Combine(folder, CheckpointDirectory.FinishedName);
        var written = File.GetLastWriteTimeUtc(finished);

        var again = new PhaseRunner(options, PhaseDataFactory.Create).Run();
        Assert.True(again.AlreadyFinished);
        Assert.Equal(written, File.GetLastWriteTimeUtc(finished));

        var eval = new PhaseRunner(options with { Eval = true }, PhaseDataFactory.Create).Run();
        Assert.False(eval.AlreadyFinished);
        Assert.Equal(256, eval.FinalEval!.Images);
        Assert.InRange(eval.FinalEval.Acc1, 0.0, 100.0);
    }

    [Fact]
    public void Epoch_checkpoints_rotate_and_log_txt_has_the_official_keys()
    {
        var folder = PhaseFixtures.TempFolder();
        new PhaseRunner(FashionMnist.Phase(folder, epochs: 3) with { SaveCkptNum = 2 }, PhaseDataFactory.Create).Run();
        Assert.Equal(["checkpoint-1.pth", "checkpoint-2.pth", "finished_checkpoint.pth", "log.txt", "steps.txt"],
            Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        var lines = File.ReadAllLines(Path.Combine(folder, "log.txt"));
        Assert.Equal(3, lines.Length);
        foreach (var key in new[] { "\"train_lr\"", "\"train_loss\"", "\"test_acc1\"", "\"test_acc5\"", "\"test_loss\"", "\"epoch\"", "\"n_parameters\"" })
            Assert.Contains(key, lines[0]);
        Assert.Equal(2, EpochLog.FromJson(lines[2])!.Epoch);
        var samples = StepLog.Parse(File.ReadAllText(Path.Combine(folder, StepLog.FileName)));
        var steps = samples[0].Steps;
        Assert.Equal([.. Enumerable.Range(0, 3).SelectMany(e => Enumerable.Range(1, steps).Where(s => StepSampler.IsDue(s, steps)).Select(s => (e, s)))],
            samples.Select(s => (s.Epoch, s.Step)));
        Assert.All(samples, s => Assert.True(double.IsFinite(s.TrainLoss) && s.TrainLoss > 0 && s.TrainLr > 0 && s.TrainImagesPerSecond > 0));
        // Each epoch's samples average, micro-batch for micro-batch, to the epoch's train loss in log.txt.
        foreach (var line in lines.Select(l => EpochLog.FromJson(l)!))
        {
            var epoch = samples.Where(s => s.Epoch == line.Epoch).ToList();
            var weighted = epoch.Select((s, i) => s.TrainLoss * (s.Step - (i == 0 ? 0 : epoch[i - 1].Step))).Sum() / steps;
            Assert.Equal(line.TrainLoss, weighted, 9);
        }
    }

    /// <summary>
    /// official_semantics.json <c>resume_schedule</c> (utils.py:347-350, timm's scheduler load_state_dict, main.py:370):
    /// a run stopped after epoch 2 and resumed with other schedule and weight-decay flags trains on the checkpoint's
    /// cosine and weight decay up to the new --epochs, and, unlike the official code, says which flags it overrode.
    /// </summary>
    [Fact]
    public void A_resumed_phase_keeps_the_checkpoints_lr_schedule_and_weight_decay_and_names_the_flags_that_differ()
    {
        var reference = RecipeReference.Semantics("resume_schedule");
        var folder = PhaseFixtures.TempFolder();
        TrainOptions Flags(JsonElement f) => FashionMnist.Phase(folder, f.GetProperty("epochs").GetInt32(), trainLimit: 128, evalLimit: 64) with
        {
            BatchSize = 64,
            UpdateFreq = 2,
            Lr = f.GetProperty("lr").GetDouble(),
            MinLr = f.GetProperty("min_lr").GetDouble(),
            WarmupLr = f.GetProperty("warmup_lr").GetDouble(),
            WarmupEpochs = f.GetProperty("warmup_epochs").GetInt32(),
            WeightDecay = f.GetProperty("weight_decay").GetDouble(),
        };
        var first = Flags(reference.GetProperty("first"));
        Assert.Equal(reference.GetProperty("effective_batch").GetInt32(), first.EffectiveBatch);
        var stoppedAfter = reference.GetProperty("stopped_after_epoch").GetInt32();
        using (var kill = new CancellationTokenSource())
        {
            var runner = new PhaseRunner(first, PhaseDataFactory.Create, e => { if (e is EpochCompleted c && c.Log.Epoch == stoppedAfter) kill.Cancel(); });
            Assert.ThrowsAny<OperationCanceledException>(() => runner.Run(kill.Token));
        }

        var warnings = new List<string>();
        new PhaseRunner(Flags(reference.GetProperty("resumed")), PhaseDataFactory.Create,
            e => { if (e is PhaseMessage { IsWarning: true } w) warnings.Add(w.Text); }).Run();

        var expected = reference.GetProperty("lr_per_epoch").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var trained = File.ReadAllLines(Path.Combine(folder, "log.txt")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("train_lr").GetDouble()).ToArray();
        Assert.Equal(expected.Length, trained.Length);
        for (var epoch = 0; epoch < expected.Length; epoch++)
            Assert.True(Math.Abs(trained[epoch] - expected[epoch]) <= 1e-9 * expected[epoch], $"epoch {epoch}: lr {trained[epoch]} vs official {expected[epoch]}");
        var kept = reference.GetProperty("kept_weight_decay").GetDouble();
        var finished = TorchLoadReader.Read(Path.Combine(folder, CheckpointDirectory.FinishedName));
        var groups = (System.Collections.IList)((System.Collections.IDictionary)finished["optimizer"]!)["param_groups"]!;
        Assert.Equal([0.0, kept], groups.Cast<System.Collections.IDictionary>().Select(g => Convert.ToDouble(g["weight_decay"])).Order());
        var warning = Assert.Single(warnings, w => w.Contains("other settings than"));
        foreach (var part in new[] { "--epochs 12 (the cosine keeps its 10 epochs", "--lr 0.0005 (lr 0.000125 at effective batch 128; kept 0.00025)",
            "--min-lr 1e-05 (kept 0.0001)", "--warmup-lr 1e-06 (kept 1e-05)", "--warmup-epochs 0 (kept 3)", "--weight-decay 0.1 (kept 0.05)" })
            Assert.Contains(part, warning);
    }

    /// <summary>main.py:384-386 saves an epoch's checkpoint before evaluating it: a phase stopped during that evaluation keeps the epoch.</summary>
    [Fact]
    public void An_epoch_is_saved_before_it_is_evaluated_so_a_stop_during_evaluation_keeps_it()
    {
        var folder = PhaseFixtures.TempFolder();
        using (var stop = new CancellationTokenSource())
        {
            var runner = new PhaseRunner(FashionMnist.Phase(folder, epochs: 2), PhaseDataFactory.Create,
                e => { if (e is StepProgress { Epoch: 0 } p && p.Step == p.Steps) stop.Cancel(); });
            Assert.ThrowsAny<OperationCanceledException>(() => runner.Run(stop.Token));
        }
        Assert.Equal(["checkpoint-0.pth"], Directory.GetFiles(folder).Select(Path.GetFileName));
        var messages = new List<string>();
        new PhaseRunner(FashionMnist.Phase(folder, epochs: 2), PhaseDataFactory.Create, e => { if (e is PhaseMessage m) messages.Add(m.Text); }).Run();
        Assert.Contains(messages, m => m.Contains("checkpoint-0.pth: continuing at epoch 1"));
    }
}
