namespace CloudAssembly.Training.Optimization;

/// <summary>
/// timm 0.3.2's <c>CosineLRScheduler</c> as the official code configures it: per epoch, linear warm-up from
/// <c>warmup_lr</c> for <c>warmup_epochs</c>, then a single cosine from the base lr to <c>min_lr</c> over
/// <c>epochs</c> with <c>warmup_prefix=False</c> (the cosine runs on t/T from epoch 0, so it drops a little at the
/// end of warm-up).
/// </summary>
public sealed record CosineSchedule(double BaseLr, double MinLr, double WarmupLr, int WarmupEpochs, int Epochs)
{
    /// <summary>The scheduler's value at epoch <paramref name="t"/> (<c>get_epoch_values(t)</c>).</summary>
    public double ValueAt(int t)
    {
        if (t < WarmupEpochs)
            return WarmupLr + t * (BaseLr - WarmupLr) / WarmupEpochs;
        if (t >= Epochs)
            return MinLr;
        return MinLr + 0.5 * (BaseLr - MinLr) * (1 + Math.Cos(Math.PI * t / Epochs));
    }

    /// <summary>
    /// The lr that training uses during epoch <paramref name="epoch"/>. The official loop calls
    /// <c>lr_scheduler.step(epoch)</c> after each epoch, so epoch e trains at value(e - 1), and the first epoch of a
    /// fresh run (<paramref name="freshStart"/>: 0, or <c>--start_epoch</c>) at the value the scheduler set at
    /// construction (warm-up start, or the base lr without warm-up) — value(0) either way. A resumed run has no
    /// fresh start: its optimizer state carries value(e - 1).
    /// </summary>
    public double LrForEpoch(int epoch, int? freshStart = 0) => ValueAt(epoch == freshStart ? 0 : Math.Max(epoch - 1, 0));

    /// <summary>The schedule a phase trains with: its flags, the base lr scaled by its effective batch.</summary>
    public static CosineSchedule For(TrainOptions options) =>
        new(ScaleLr(options.Lr, options.EffectiveBatch), options.MinLr, options.WarmupLr, options.WarmupEpochs, options.Epochs);

    /// <summary>lr scaled linearly with the effective batch (batch × update_freq × replicas) over 512, as main.py does.</summary>
    public static double ScaleLr(double lr, int effectiveBatch) => lr * effectiveBatch / 512.0;
}
