using System.Diagnostics;
using CloudAssembly.Contracts;
using CloudAssembly.Model;
using CloudAssembly.Training.Checkpoints;
using CloudAssembly.Training.Distributed;
using CloudAssembly.Training.Engine;
using CloudAssembly.Training.Losses;
using CloudAssembly.Training.Optimization;
using CloudAssembly.Training.Phases;
using TorchSharp;
using static TorchSharp.torch;

namespace CloudAssembly.Training;

/// <summary>
/// One phase from start to finish, as the official <c>main.py</c> runs it: build the phase's network, auto-resume
/// from <c>output_dir</c>, train epoch by epoch at the per-epoch lr, evaluate, checkpoint, log, and write
/// <c>finished_checkpoint.pth</c>. A finished phase is not trained again, but <c>--eval</c> still evaluates it
/// (the official code exits before evaluating). On W ranks (<see cref="TrainOptions.WorldSize"/>) each rank runs this
/// loop on its share of the data with gradients averaged across ranks; rank 0 alone evaluates (the full validation
/// set, as the official code without <c>--dist-eval</c>), writes checkpoints and <c>log.txt</c>, and reports. Processes
/// that no launcher started meet through <paramref name="meeting"/> (trainer pods: the attempt's folder in the run's store).
/// </summary>
public sealed class PhaseRunner(TrainOptions options, Func<TrainOptions, Device, PhaseData> data, Action<PhaseEvent>? observer = null,
    ICollective? collective = null, RankMeeting? meeting = null)
{
    public string Label => options.Phase == Phase.MT ? $"MT[{options.Idx}]" : options.Phase.ToString();

    /// <summary>
    /// Trains the phase. <paramref name="cancellation"/> stops it at once (what was checkpointed stays);
    /// <paramref name="preemption"/> (SIGTERM) stops the phase after its next step with a checkpoint of that step
    /// (<see cref="StepCheckpointSaved"/>), or at an epoch boundary whose checkpoint was just saved, and then throws
    /// <see cref="OperationCanceledException"/> too. W ranks agree on that step: after each step they reduce their
    /// preemption flags, so a SIGTERM that reached one rank stops them all after the same step, and rank 0 writes it.
    /// </summary>
    public PhaseResult Run(CancellationToken cancellation = default, CancellationToken preemption = default)
    {
        if (collective is null && options.Devices.Count > 1)
            return LocalRanks.Run(options, data, observer, meeting, cancellation, preemption);
        using var group = collective is null ? Collectives.ForProcess(options, meeting, cancellation) : null;
        try
        {
            return Run(collective ?? group!.Members[0], cancellation, preemption);
        }
        catch
        {
            group?.Fail();
            throw;
        }
    }

    private PhaseResult Run(ICollective ranks, CancellationToken cancellation, CancellationToken preemption)
    {
        if (ranks.WorldSize != options.WorldSize || ranks.Rank != options.Rank)
            throw new ArgumentException(
                $"This process was started as rank {ranks.Rank} of {ranks.WorldSize} ({ranks.Backend}), but the options say rank {options.Rank} of --world_size {options.WorldSize}.");
        var clock = Stopwatch.StartNew();
        var leader = ranks.Rank == 0;
        PhaseModelBuilder.Validate(options);
        var device = TorchRuntime.Initialize(options.Device, options.LibTorch);
        var folder = new CheckpointDirectory(options.OutputDir);
        if (folder.IsFinished && (!options.Eval || !leader))
            return AlreadyFinished(folder, clock);

        // The phase's own generators, not the process-global one, so that phases (and ranks) trained side by side in
        // one process draw exactly what each would alone. Seeded as manual_seed(seed) seeded the global one.
        using var initRandom = new Generator((ulong)options.Seed, CPU);
        using var dropPathRandom = new Generator((ulong)options.Seed, CPU);
        AnnounceBatch(ranks);
        var phaseData = data(options, device);
        var prepared = PhaseModelBuilder.Build(options, phaseData.NumClasses, device, m => Say(m), initRandom);
        var model = prepared.Model;
        model.DropPathGenerator = dropPathRandom;
        if (options.Eval)
            return leader ? Evaluate(model, phaseData, folder, clock, cancellation) : new PhaseResult(Label, 0, null, clock.Elapsed.TotalSeconds, 0, null, AlreadyFinished: false);

        var latest = folder.LatestReadable(w => Say(w, warning: true));
        var settings = Settings(latest, prepared.Groups);
        var schedule = settings.Schedule;
        using var optimizer = new FlatAdamW(settings.Apply(prepared.Groups, latest?.Path ?? options.OutputDir), schedule.BaseLr,
            settings.Beta1, settings.Beta2, settings.Eps);
        var nParameters = model.parameters().Sum(p => p.numel());
        var start = Resume(latest, model, optimizer, schedule, nParameters, ranks);
        var metadata = new CheckpointMetadata(options.Model, options.Depths, phaseData.NumClasses, options.Phase.ToString(),
            options.Idx, options.InputSize, options.EffectiveBatch, options.WorldSize);
        Dictionary<string, object?> Checkpoint(int epoch) => PhaseCheckpoint.Build(model, optimizer, schedule, epoch, metadata, dropPathRandom);

        var mixup = new Mixup(new MixupOptions(phaseData.NumClasses, options.Mixup, options.Cutmix, options.CutmixMinMax,
            options.MixupProb, options.MixupSwitchProb, options.MixupMode, options.Smoothing));
        // Rank 0 alone writes the phase's files, so it alone samples the step-level curve (steps.txt).
        var sampler = leader ? new StepSampler() : null;
        var trainer = new EpochTrainer(model, optimizer, mixup, options, Label, ranks, sampler);
        var initial = start.BeforeTraining
            ?? (options.EvaluateBeforeTraining && start.Epoch == 0 && start.Within is null && leader ? EvaluateBeforeTraining(model, phaseData, cancellation) : null);
        metadata = metadata with { BeforeTraining = initial };
        phaseData.Train.CorruptImage += m => Say(m, warning: true);
        var trainCount = phaseData.Train.Dataset.Count;
        EvalResult? eval = null;
        var maxAccuracy = 0.0;
        var (epochsTrained, trainedImages, trainSeconds) = (0, 0L, 0.0);
        for (var epoch = start.Epoch; epoch < options.Epochs; epoch++)
        {
            // Preempted while the last epoch was saved and evaluated: its checkpoint is where the next attempt starts.
            if (epoch > start.Epoch && DataParallel.AnyRank(preemption.IsCancellationRequested, ranks, device))
                throw Stopped(preemption);
            var within = epoch == start.Epoch ? start.Within : null;
            SeedDropPath(dropPathRandom, ranks.Rank, epoch, within is null ? null : start.Random);
            var lr = optimizer.LearningRate = schedule.LrForEpoch(epoch, start.FreshStart);
            var (rankLoss, rankImages, seconds, stoppedAt) = trainer.Train(phaseData.Train, trainCount, epoch, Report, cancellation, within, preemption);
            if (stoppedAt is { } position)
            {
                using var rankRandom = ranks.WorldSize > 1 ? DataParallel.GatherBytes(dropPathRandom.get_state(), ranks, device) : null;
                throw !leader ? Stopped(preemption)
                    : Preempted(sampler, folder.SaveStep(PhaseCheckpoint.BuildWithinEpoch(model, optimizer, schedule, epoch, position, metadata, dropPathRandom, rankRandom),
                        epoch, position.Step), epoch, position.Step, EpochTrainer.StepsPerEpoch(phaseData.Train, trainCount, options), preemption);
            }
            DataParallel.CheckReplicas(optimizer.FlatParameters, ranks, Label, epoch);
            var loss = DataParallel.MeanOverRanks(rankLoss, ranks, device);
            if (!leader)
                continue;
            // main.py:383-386: lr_scheduler.step(epoch), save, then evaluate.
            optimizer.LearningRate = schedule.ValueAt(epoch);
            var checkpoint = folder.SaveEpoch(Checkpoint(epoch), epoch, options.SaveCkptNum * options.SaveFreq);
            eval = Evaluator.Evaluate(model, phaseData.Val, cancellation);
            maxAccuracy = Math.Max(maxAccuracy, eval.Acc1);
            var images = rankImages * ranks.WorldSize;
            var log = new EpochLog(lr, loss, eval.Acc1, eval.Acc5, eval.Loss, epoch, nParameters, images / seconds, seconds,
                options.EffectiveBatch, ranks.WorldSize);
            log.AppendTo(options.OutputDir);
            sampler?.AppendTo(options.OutputDir);
            Report(new EpochCompleted(Label, log, options.Epochs, checkpoint, maxAccuracy));
            (epochsTrained, trainedImages, trainSeconds) = (epochsTrained + 1, trainedImages + images, trainSeconds + seconds);
        }
        if (!leader)
            return new PhaseResult(Label, options.Epochs - start.Epoch, null, clock.Elapsed.TotalSeconds, 0, null, AlreadyFinished: false);
        var finished = folder.SaveFinished(Checkpoint(options.Epochs - 1));
        eval ??= Evaluator.Evaluate(model, phaseData.Val, cancellation);
        Say($"{Label} finished: top-1 {eval.Acc1:F2}%, top-5 {eval.Acc5:F2}% → {finished}");
        return new PhaseResult(Label, epochsTrained, eval, clock.Elapsed.TotalSeconds,
            trainSeconds > 0 ? trainedImages / trainSeconds : 0, finished, AlreadyFinished: false, initial);
    }

    /// <summary>Where training starts: the first epoch, the fresh start the schedule counts from (none after a resume), and a position and drop-path state inside that epoch.</summary>
    private sealed record Start(int Epoch, int? FreshStart, EpochPosition? Within = null, Tensor? Random = null, EvalResult? BeforeTraining = null);

    /// <summary>
    /// The optimizer and lr schedule to train with: the flags' for a fresh phase; after a resume the checkpoint's, as
    /// main.py's auto-resume restores them (utils.py:347-349), saying which flags asked for something else.
    /// </summary>
    private OptimizerSettings Settings(LatestCheckpoint? latest, IReadOnlyList<ParameterGroup> groups)
    {
        var asked = OptimizerSettings.From(options, groups);
        if (latest is not { } at || OptimizerSettings.FromCheckpoint(at.Checkpoint, at.Path) is not { } kept)
            return asked;
        if (kept.DifferencesFrom(options, asked) is { Count: > 0 } differences)
            Say($"{Label}: {at.Path} was trained with other settings than {string.Join(", ", differences)}; " +
                "resuming on the checkpoint's, as the official auto-resume restores its optimizer and lr scheduler.", warning: true);
        return kept;
    }

    /// <summary>Auto-resume (utils.py:326-352): the latest readable checkpoint's weights and optimizer state, or a fresh start at --start_epoch.</summary>
    private Start Resume(LatestCheckpoint? latest, VisionTransformer model, FlatAdamW optimizer, CosineSchedule schedule, long nParameters,
        ICollective ranks)
    {
        if (latest is not { } at)
        {
            Say($"{Label}: {options.Model} depths [{options.DepthsText()}], {nParameters:N0} parameters, " +
                $"{optimizer.NumElements:N0} optimized; lr {schedule.BaseLr:G4} (effective batch {options.EffectiveBatch}), {options.Epochs} epochs.");
            return new Start(options.StartEpoch, options.StartEpoch);
        }
        PhaseCheckpoint.LoadAllStages(model, at.Checkpoint, at.Path);
        if (at.Checkpoint["optimizer"] is System.Collections.IDictionary state)
            optimizer.LoadStateDict(state, at.Path);
        Say($"Resumed from {at.Path}: continuing at epoch {at.StartEpoch} of {options.Epochs}" +
            (at.Within is { } position ? $", after its step {position.Step}." : "."));
        if (CheckpointMetadata.From(at.Checkpoint) is { EffectiveBatch: { } before, WorldSize: { } w } && before != options.EffectiveBatch)
            Say($"{Label}: the effective batch changed from {before} ({w} ranks) to {options.EffectiveBatch} ({ranks.WorldSize} ranks).", warning: true);
        // Inside an epoch, the drop-path generator goes on from where it stopped, not from the epoch's seed.
        return new Start(at.StartEpoch, null, at.Within, at.Within is null ? null : PhaseCheckpoint.RandomStateFor(at.Checkpoint, ranks.Rank, ranks.WorldSize),
            CheckpointMetadata.From(at.Checkpoint)?.BeforeTraining);
    }

    /// <summary>
    /// Each epoch draws drop-path masks from its own seed, so a resumed run draws what an uninterrupted one would; every
    /// rank draws its own (official: seed + rank), so W ranks are not W copies of one rank's noise. A run resumed inside
    /// an epoch goes on from the generator's saved <paramref name="state"/>.
    /// </summary>
    private void SeedDropPath(Generator random, int rank, int epoch, Tensor? state)
    {
        random.manual_seed((options.Seed + rank) * 100_003L + epoch);
        if (state is not null)
            random.set_state(state);
    }

    private void AnnounceBatch(ICollective ranks)
    {
        if (OfficialRecipe.BatchWarning(options) is { } differs)
            Say(differs, warning: true);
        if (ranks.WorldSize > 1 && ranks.Rank == 0)
            Say($"{Label}: data-parallel over {ranks.WorldSize} ranks ({ranks.Backend}); effective batch {ranks.WorldSize} x {options.BatchSize} x {options.UpdateFreq} = {options.EffectiveBatch}.");
    }

    private EvalResult EvaluateBeforeTraining(VisionTransformer model, PhaseData phaseData, CancellationToken cancellation)
    {
        var initial = Evaluator.Evaluate(model, phaseData.Val, cancellation);
        Say($"{Label} before training: top-1 {initial.Acc1:F2}%, top-5 {initial.Acc5:F2}%.");
        return initial;
    }

    /// <summary>
    /// Writes the step samples up to the checkpoint a preempted phase saved inside <paramref name="epoch"/>, reports that
    /// checkpoint and returns the exception that stops the phase.
    /// </summary>
    private OperationCanceledException Preempted(StepSampler? sampler, string path, int epoch, int step, int steps, CancellationToken preemption)
    {
        sampler?.AppendTo(options.OutputDir);
        Say($"{Label}: preempted after step {step} of epoch {epoch}; saved {path} to resume from there.");
        Report(new StepCheckpointSaved(Label, epoch, step, steps, path));
        return Stopped(preemption);
    }

    /// <summary>Why the ranks agreed to stop: this rank's own preemption, or another rank's.</summary>
    private static OperationCanceledException Stopped(CancellationToken preemption) =>
        preemption.IsCancellationRequested ? new OperationCanceledException(preemption) : new PeerPreemptedException();

    private PhaseResult AlreadyFinished(CheckpointDirectory folder, Stopwatch clock)
    {
        Say($"Already finished: {folder.FinishedPath} exists; not training again.");
        var last = EpochLog.Last(options.OutputDir);
        return new PhaseResult(Label, 0, last is null ? null : new EvalResult(last.TestAcc1, last.TestAcc5, last.TestLoss, 0),
            clock.Elapsed.TotalSeconds, 0, folder.FinishedPath, AlreadyFinished: true);
    }

    private PhaseResult Evaluate(VisionTransformer model, PhaseData phaseData, CheckpointDirectory folder, Stopwatch clock, CancellationToken cancellation)
    {
        if (folder.IsFinished)
            PhaseCheckpoint.LoadAllStages(model, Model.Checkpoints.TorchLoadReader.Read(folder.FinishedPath), folder.FinishedPath);
        else if (folder.LatestReadable(w => Say(w, warning: true)) is { } latest)
            PhaseCheckpoint.LoadAllStages(model, latest.Checkpoint, latest.Path);
        else if (string.IsNullOrEmpty(options.Finetune) && options.Phase is not (Phase.FT or Phase.MT))
            Say($"--eval: no checkpoint in '{options.OutputDir}' and no --finetune; evaluating the freshly initialised model.", warning: true);
        var eval = Evaluator.Evaluate(model, phaseData.Val, cancellation);
        Say($"Accuracy of the network on the {eval.Images} test images: {eval.Acc1:F1}% (top-5 {eval.Acc5:F1}%, loss {eval.Loss:F4})");
        return new PhaseResult(Label, 0, eval, clock.Elapsed.TotalSeconds, 0, folder.IsFinished ? folder.FinishedPath : null, AlreadyFinished: false);
    }

    private void Report(PhaseEvent e)
    {
        if (options.Rank == 0)
            observer?.Invoke(e);
    }

    private void Say(string text, bool warning = false) => Report(new PhaseMessage(Label, text, warning));
}
