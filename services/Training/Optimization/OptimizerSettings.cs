using System.Collections;
using System.Globalization;
using CloudAssembly.Model;

namespace CloudAssembly.Training.Optimization;

/// <summary>
/// What the official auto-resume takes from a checkpoint rather than from the flags (utils.py:347-349): the lr
/// schedule, which timm's <c>Scheduler.load_state_dict</c> restores whole (<c>t_initial</c>, <c>base_values</c>,
/// <c>lr_min</c>, <c>warmup_t</c>, <c>warmup_lr_init</c>), and what <c>optimizer.load_state_dict</c> restores with
/// each parameter group (its weight decay, betas and eps).
/// </summary>
public sealed record OptimizerSettings(CosineSchedule Schedule, IReadOnlyList<double> WeightDecays, double Beta1, double Beta2, double Eps)
{
    /// <summary>The settings the flags ask for, over the phase's parameter groups.</summary>
    public static OptimizerSettings From(TrainOptions o, IReadOnlyList<ParameterGroup> groups)
    {
        var (beta1, beta2) = o.OptBetas ?? (0.9, 0.999);
        return new(CosineSchedule.For(o), [.. groups.Select(g => g.WeightDecay)], beta1, beta2, o.OptEps);
    }

    /// <summary>
    /// The settings <paramref name="checkpoint"/> was trained with, or null when it holds no optimizer or lr scheduler
    /// state (main.py then restores neither).
    /// </summary>
    public static OptimizerSettings? FromCheckpoint(Hashtable checkpoint, string source)
    {
        if (checkpoint["lr_scheduler"] is not IDictionary scheduler || checkpoint["optimizer"] is not IDictionary { } optimizer
            || optimizer["param_groups"] is not IList { Count: > 0 } groups)
            return null;
        try
        {
            var first = (IDictionary)groups[0]!;
            var betas = (IList)first["betas"]!;
            var schedule = new CosineSchedule(Real(((IList)scheduler["base_values"]!)[0]), Real(scheduler["lr_min"]),
                Real(scheduler["warmup_lr_init"]), Whole(scheduler["warmup_t"]), Whole(scheduler["t_initial"]));
            return new(schedule, [.. groups.Cast<IDictionary>().Select(g => Real(g["weight_decay"]))], Real(betas[0]), Real(betas[1]),
                Real(first["eps"]));
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException or NullReferenceException or ArgumentOutOfRangeException)
        {
            throw new InvalidDataException($"The optimizer or lr scheduler state in '{source}' cannot be read: {e.Message}", e);
        }
    }

    /// <summary><paramref name="groups"/> with these weight decays.</summary>
    public IReadOnlyList<ParameterGroup> Apply(IReadOnlyList<ParameterGroup> groups, string source) =>
        groups.Count == WeightDecays.Count
            ? [.. groups.Select((g, i) => g with { WeightDecay = WeightDecays[i] })]
            : throw new CheckpointMismatchException(
                $"The optimizer state in '{source}' has {WeightDecays.Count} parameter groups; this phase optimizes {groups.Count}.");

    /// <summary>
    /// The flags of <paramref name="o"/> that ask for other settings than these, each with the value kept, e.g.
    /// <c>--min-lr 1e-06 (kept 1e-05)</c>; empty when they agree.
    /// </summary>
    public IReadOnlyList<string> DifferencesFrom(TrainOptions o, OptimizerSettings asked)
    {
        var differences = new List<string>();
        void Compare(string flag, double wanted, double kept)
        {
            if (Differs(wanted, kept))
                differences.Add($"{flag} {Show(wanted)} (kept {Show(kept)})");
        }
        if (asked.Schedule.Epochs != Schedule.Epochs)
            differences.Add($"--epochs {o.Epochs} (the cosine keeps its {Schedule.Epochs} epochs; training still stops after epoch {o.Epochs - 1})");
        if (Differs(asked.Schedule.BaseLr, Schedule.BaseLr))
            differences.Add($"--lr {Show(o.Lr)} (lr {Show(asked.Schedule.BaseLr)} at effective batch {o.EffectiveBatch}; kept {Show(Schedule.BaseLr)})");
        Compare("--min-lr", asked.Schedule.MinLr, Schedule.MinLr);
        Compare("--warmup-lr", asked.Schedule.WarmupLr, Schedule.WarmupLr);
        Compare("--warmup-epochs", asked.Schedule.WarmupEpochs, Schedule.WarmupEpochs);
        Compare("--weight-decay", asked.WeightDecays.DefaultIfEmpty().Max(), WeightDecays.DefaultIfEmpty().Max());
        if (Differs(asked.Beta1, Beta1) || Differs(asked.Beta2, Beta2))
            differences.Add($"--opt-betas {Show(asked.Beta1)} {Show(asked.Beta2)} (kept {Show(Beta1)} {Show(Beta2)})");
        Compare("--opt-eps", asked.Eps, Eps);
        return differences;
    }

    private static bool Differs(double a, double b) => Math.Abs(a - b) > 1e-12 * Math.Max(Math.Abs(a), Math.Abs(b));

    private static string Show(double value) => value.ToString("G6", CultureInfo.InvariantCulture).ToLowerInvariant();

    private static double Real(object? value) => Convert.ToDouble(value, CultureInfo.InvariantCulture);

    private static int Whole(object? value) => Convert.ToInt32(value, CultureInfo.InvariantCulture);
}
