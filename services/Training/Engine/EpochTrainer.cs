using System.Diagnostics;
using CloudAssembly.Data;
using CloudAssembly.Data.Loading;
using CloudAssembly.Model;
using CloudAssembly.Training.Distributed;
using CloudAssembly.Training.Loading;
using CloudAssembly.Training.Losses;
using CloudAssembly.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Engine;

/// <summary>
/// The official <c>train_one_epoch</c>: data → mixup → forward → soft-target loss → backward (÷ update_freq) →
/// every update_freq micro-batches average the gradients across ranks, clip and step. As engine.py:30-33,57-64, the
/// micro-batches of a last, partial group (fewer than update_freq before the epoch's steps run out) are trained and
/// counted in the loss, but take no step: their gradients stay and join the next epoch's first step. Clipping follows
/// <see cref="TrainOptions.StepClipNorm"/>: as the official code, only under AMP unless fp32 clipping is asked for. The
/// loss is read back to the host every step on CPU and every <see cref="GpuLossCheckInterval"/> steps on CUDA, so the
/// GPU never waits for the host in between; a <see cref="StepSampler"/>, when given, reads it at its samples too.
/// </summary>
public sealed class EpochTrainer(VisionTransformer model, FlatAdamW optimizer, Mixup mixup, TrainOptions options, string phase,
    ICollective ranks, StepSampler? sampler = null)
{
    public const int GpuLossCheckInterval = 25;
    private const double ProgressSeconds = 2.0;

    /// <summary>Optimizer steps in one epoch: ⌊N / effective batch⌋ as main.py computes it, and no more than the loader gives.</summary>
    public static int StepsPerEpoch(BatchLoader loader, int datasetCount, TrainOptions options) =>
        StepsPerEpoch(loader.BatchesPerEpoch, datasetCount, options);

    /// <summary>
    /// engine.py's count: micro-batch i belongs to step i // update_freq, steps from ⌊N / effective batch⌋ on are
    /// skipped, and a step is taken after every update_freq-th micro-batch.
    /// </summary>
    public static int StepsPerEpoch(int microBatches, int datasetCount, TrainOptions options) =>
        TrainedMicroBatches(microBatches, datasetCount, options) / options.UpdateFreq;

    /// <summary>
    /// The micro-batches engine.py trains in one epoch: those whose step i // update_freq is below ⌊N / effective
    /// batch⌋, a last partial group included (engine.py:31-33).
    /// </summary>
    public static int TrainedMicroBatches(int microBatches, int datasetCount, TrainOptions options) =>
        Math.Min(microBatches, datasetCount / options.EffectiveBatch * options.UpdateFreq);

    /// <summary>
    /// Trains epoch <paramref name="epoch"/> from <paramref name="from"/> (its start unless resumed mid-epoch: the
    /// loader skips the batches of the steps already taken). Once <paramref name="preemption"/> is requested (on any
    /// rank: after each step the W ranks reduce their flags, so they agree), the phase stops after the step under way and
    /// returns where it stopped, with the loss summed so far averaged over the ranks (what a resume may start every rank from).
    /// </summary>
    public (double Loss, long Images, double Seconds, EpochPosition? StoppedAt) Train(BatchLoader loader, int datasetCount, int epoch,
        Action<PhaseEvent> report, CancellationToken cancellation, EpochPosition? from = null, CancellationToken preemption = default)
    {
        from ??= EpochPosition.Start;
        model.train();
        var steps = StepsPerEpoch(loader, datasetCount, options);
        if (steps == 0)
            throw new InvalidOperationException(
                $"The training set ({datasetCount} samples) is smaller than one effective batch ({options.EffectiveBatch}); lower --batch_size or --update_freq.");
        var microBatches = TrainedMicroBatches(loader.BatchesPerEpoch, datasetCount, options);
        var onGpu = model.parameters().First().device_type != DeviceType.CPU;
        using Scalar startLoss = from.LossSum, updateFreq = options.UpdateFreq;
        using var lossSum = full(1, startLoss, dtype: ScalarType.Float64, device: model.parameters().First().device);
        var clock = Stopwatch.StartNew();
        var lastReport = 0.0;
        var images = from.Images;
        var seen = from.MicroBatches;
        sampler?.StartEpoch(from.LossSum, from.MicroBatches, from.Images, from.Seconds);
        foreach (var batch in loader.Epoch(epoch, cancellation, firstBatch: from.Step * options.UpdateFreq))
        {
            using var b = batch;
            if (b.Index >= microBatches)
                break;
            cancellation.ThrowIfCancellationRequested();
            using (var scope = NewDisposeScope())
            {
                var (targets, _) = mixup.Apply(b.Images, b.Labels, SampleRandom.For(options.Seed + ranks.Rank, epoch, b.Index, 0x313C5));
                var loss = SoftTargetCrossEntropy.Loss(model.call(b.Images), targets);
                (options.UpdateFreq == 1 ? loss : loss.div(updateFreq)).backward();
                lossSum.add_(loss.detach(), HeldScalars.One);
                if ((b.Index + 1) % options.UpdateFreq == 0)
                {
                    DataParallel.AverageGradients(optimizer, ranks);
                    if (options.StepClipNorm is { } maxNorm)
                        optimizer.ClipGradNorm(maxNorm);
                    optimizer.Step();
                    optimizer.ZeroGrad();
                }
            }
            images += b.Size;
            seen++;
            if (sampler is not null && seen % options.UpdateFreq == 0 && StepSampler.IsDue(seen / options.UpdateFreq, steps))
                sampler.Record(epoch, seen / options.UpdateFreq, steps, lossSum.item<double>(), seen, optimizer.LearningRate, images,
                    from.Seconds + clock.Elapsed.TotalSeconds, ranks.WorldSize);
            if (seen % options.UpdateFreq == 0 && seen < microBatches && DataParallel.AnyRank(preemption.IsCancellationRequested, ranks, lossSum.device))
            {
                var sum = DataParallel.MeanOverRanks(lossSum.item<double>(), ranks, lossSum.device);
                return (sum / seen, images, from.Seconds + clock.Elapsed.TotalSeconds,
                    new EpochPosition(seen / options.UpdateFreq, sum, seen, images, from.Seconds + clock.Elapsed.TotalSeconds));
            }
            if (!onGpu || seen % GpuLossCheckInterval == 0 || seen == microBatches)
                CheckFinite(lossSum, seen, epoch);
            var elapsed = clock.Elapsed.TotalSeconds;
            if (elapsed - lastReport >= ProgressSeconds || seen == microBatches)
            {
                lastReport = elapsed;
                report(new StepProgress(phase, epoch, options.Epochs, seen / options.UpdateFreq, steps,
                    lossSum.item<double>() / seen, optimizer.LearningRate, (images - from.Images) * ranks.WorldSize / Math.Max(elapsed, 1e-9)));
            }
        }
        CheckFinite(lossSum, seen, epoch);
        return (lossSum.item<double>() / Math.Max(seen, 1), images, from.Seconds + clock.Elapsed.TotalSeconds, null);
    }

    private void CheckFinite(Tensor lossSum, int seen, int epoch)
    {
        var value = lossSum.item<double>();
        if (!double.IsFinite(value))
            throw new NonFiniteLossException(
                $"{phase}: the training loss became {value} in epoch {epoch} (by micro-batch {seen}); stopping the phase. " +
                "The last checkpoint is intact; lower --lr or clip gradients (--clip-grad, which acts with --use_amp 1 or --clip-grad-fp32).");
    }
}

/// <summary>The loss became NaN or infinite; the phase stops (as the official code's sys.exit(1)).</summary>
public sealed class NonFiniteLossException(string message) : Exception(message);
