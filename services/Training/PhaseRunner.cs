using CloudAssembly.Contracts;
using System.Diagnostics;
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
    /// <paramref name="preemption"/> (SIGTERM) stops a single-rank phase after its next step with a checkpoint of that
    /// step (<see cref="StepCheckpointSaved"/>), or at an epoch boundary whose checkpoint was just saved, and then throws
    /// <see cref="OperationCanceledException"/> too. W ranks would have to agree on the step, so for them a preemption
    /// is a cancellation.
    /// </summary>
    public PhaseResult Run(CancellationToken cancellation = default, CancellationToken preemption = default)
    {
        using var either = options.WorldSize > 1 || options.Devices.Count > 1 ? CancellationTokenSource.CreateLinkedTokenSource(cancellation, preemption) : null;
        if (either is not null)
            (cancellation, preemption) = (either.Token, CancellationToken.None);
        if (collective is null && options.Devices.Count > 1)
            return LocalRanks.Run(options, data, observer, meeting, cancellation);
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
        {
            Say($"Already finished: {folder.FinishedPath} exists; not training again.");
            var last = EpochLog.Last(options.OutputDir);
            return new PhaseResult(Label, 0, last is null ? null : new EvalResult(last.TestAcc1, last.TestAcc5, last.TestLoss, 0),
                clock.Elapsed.TotalSeconds, 0, folder.FinishedPath, AlreadyFinished: true);
        }

        // The phase's own generators, not the process-global one, so that phases (and ranks) trained side by side in
        // one process draw exactly what each would alone. Seeded as manual_seed(seed) seeded the global one.
        using var initRandom = new Generator((ulong)options.Seed, CPU);
        using var dropPathRandom = new Generator((ulong)options.Seed, CPU);
        if (OfficialRecipe.BatchWarning(options) is { } differs)
            Say(differs, warning: true);
        if (ranks.WorldSize > 1 && leader)
            Say($"{Label}: data-parallel over {ranks.WorldSize} ranks ({ranks.Backend}); effective batch {ranks.WorldSize} x {options.BatchSize} x {options.UpdateFreq} = {options.EffectiveBatch}.");
        var phaseData = data(options, device);
        var prepared = PhaseModelBuilder.Build(options, phaseData.NumClasses, device, m => Say(m), initRandom);
        var model = prepared.Model;
        model.DropPathGenerator = dropPathRandom;
        var nParameters = model.parameters().Sum(p => p.numel());
        var schedule = CosineSchedule.For(options);
        var baseLr = schedule.BaseLr;
        var (beta1, beta2) = options.OptBetas ?? (0.9, 0.999);
        using var optimizer = new FlatAdamW(prepared.Groups, baseLr, beta1, beta2, options.OptEps);
        var metadata = new CheckpointMetadata(options.Model, options.DividedDepths, phaseData.NumClasses, options.Phase.ToString(),
            options.Idx, options.InputSize, options.EffectiveBatch, options.WorldSize);

        if (options.Eval && !leader)
            return new PhaseResult(Label, 0, null, clock.Elapsed.TotalSeconds, 0, null, AlreadyFinished: false);
        if (options.Eval)
            return Evaluate(model, phaseData, folder, clock, cancellation);

        var startEpoch = options.StartEpoch;
        int? freshStart = startEpoch;
        EpochPosition? resumeAt = null;
        Tensor? resumeRandom = null;
        if (folder.LatestReadable(w => Say(w, warning: true)) is { } latest)
        {
            freshStart = null;
            PhaseCheckpoint.LoadAllStages(model, latest.Checkpoint, latest.Path);
            if (latest.Checkpoint["optimizer"] is System.Collections.IDictionary state)
                optimizer.LoadStateDict(state, latest.Path);
            startEpoch = latest.StartEpoch;
            // Inside an epoch, the drop-path generator goes on from where it stopped, not from the epoch's seed.
            (resumeAt, resumeRandom) = (latest.Within, latest.Within is null ? null : latest.Checkpoint["rng_state"] as Tensor);
            Say($"Resumed from {latest.Path}: continuing at epoch {startEpoch} of {options.Epochs}" +
                (resumeAt is { } at ? $", after its step {at.Step}." : "."));
            if (CheckpointMetadata.From(latest.Checkpoint) is { EffectiveBatch: { } before, WorldSize: { } w } && before != options.EffectiveBatch)
                Say($"{Label}: the effective batch changed from {before} ({w} ranks) to {options.EffectiveBatch} ({ranks.WorldSize} ranks); " +
                    $"the lr follows the new one ({baseLr:G4}).", warning: true);
        }
        else
        {
            Say($"{Label}: {options.Model} depths [{options.DepthsText()}], {nParameters:N0} parameters, " +
                $"{optimizer.NumElements:N0} optimized; lr {baseLr:G4} (effective batch {options.EffectiveBatch}), {options.Epochs} epochs.");
        }

        var mixup = new Mixup(new MixupOptions(phaseData.NumClasses, options.Mixup, options.Cutmix, options.CutmixMinMax,
            options.MixupProb, options.MixupSwitchProb, options.MixupMode, options.Smoothing));
        var trainer = new EpochTrainer(model, optimizer, mixup, options, Label, ranks);
        EvalResult? initial = null;
        if (options.EvaluateBeforeTraining && startEpoch == 0 && leader)
        {
            initial = Evaluator.Evaluate(model, phaseData.Val, cancellation);
            Say($"{Label} before training: top-1 {initial.Acc1:F2}%, top-5 {initial.Acc5:F2}%.");
        }
        phaseData.Train.CorruptImage += m => Say(m, warning: true);
        EvalResult? eval = null;
        var maxAccuracy = 0.0;
        long trainedImages = 0;
        double trainSeconds = 0;
        var epochsTrained = 0;
        for (var epoch = startEpoch; epoch < options.Epochs; epoch++)
        {
            // Preempted while the last epoch was evaluated and saved: its checkpoint is where the next attempt starts.
            if (epoch > startEpoch && preemption.IsCancellationRequested)
                throw new OperationCanceledException(preemption);
            // Each epoch draws drop-path masks from its own seed, so a resumed run draws what an uninterrupted one would.
            // Every rank draws its own masks (official: seed + rank), so W ranks are not W copies of one rank's noise.
            dropPathRandom.manual_seed((options.Seed + ranks.Rank) * 100_003L + epoch);
            var from = epoch == startEpoch ? resumeAt : null;
            if (from is not null && resumeRandom is not null)
                dropPathRandom.set_state(resumeRandom);
            optimizer.LearningRate = schedule.LrForEpoch(epoch, freshStart);
            var (rankLoss, rankImages, seconds, stoppedAt) = trainer.Train(phaseData.Train, phaseData.Train.Dataset.Count, epoch, Report,
                cancellation, from, preemption);
            if (stoppedAt is { } position)
            {
                var path = folder.SaveStep(PhaseCheckpoint.BuildWithinEpoch(model, optimizer, schedule, epoch, position, metadata, dropPathRandom),
                    epoch, position.Step);
                Say($"{Label}: preempted after step {position.Step} of epoch {epoch}; saved {path} to resume from there.");
                Report(new StepCheckpointSaved(Label, epoch, position.Step,
                    EpochTrainer.StepsPerEpoch(phaseData.Train, phaseData.Train.Dataset.Count, options), path));
                throw new OperationCanceledException(preemption);
            }
            DataParallel.CheckReplicas(optimizer.FlatParameters, ranks, Label, epoch);
            var loss = DataParallel.MeanOverRanks(rankLoss, ranks, device);
            if (!leader)
                continue;
            var images = rankImages * ranks.WorldSize;
            eval = Evaluator.Evaluate(model, phaseData.Val, cancellation);
            var checkpoint = folder.SaveEpoch(PhaseCheckpoint.Build(model, optimizer, schedule, epoch, metadata, dropPathRandom), epoch,
                options.SaveCkptNum * options.SaveFreq);
            maxAccuracy = Math.Max(maxAccuracy, eval.Acc1);
            var log = new EpochLog(optimizer.LearningRate, loss, eval.Acc1, eval.Acc5, eval.Loss, epoch, nParameters, images / seconds, seconds,
                options.EffectiveBatch, ranks.WorldSize);
            log.AppendTo(options.OutputDir);
            Report(new EpochCompleted(Label, log, options.Epochs, checkpoint, maxAccuracy));
            trainedImages += images;
            trainSeconds += seconds;
            epochsTrained++;
        }
        if (!leader)
            return new PhaseResult(Label, options.Epochs - startEpoch, null, clock.Elapsed.TotalSeconds, 0, null, AlreadyFinished: false);
        var finished = folder.SaveFinished(PhaseCheckpoint.Build(model, optimizer, schedule, options.Epochs - 1, metadata, dropPathRandom));
        eval ??= Evaluator.Evaluate(model, phaseData.Val, cancellation);
        Say($"{Label} finished: top-1 {eval.Acc1:F2}%, top-5 {eval.Acc5:F2}% → {finished}");
        return new PhaseResult(Label, epochsTrained, eval, clock.Elapsed.TotalSeconds,
            trainSeconds > 0 ? trainedImages / trainSeconds : 0, finished, AlreadyFinished: false, initial);
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
