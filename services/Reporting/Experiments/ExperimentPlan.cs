using CloudAssembly.Contracts;

namespace CloudAssembly.Reporting.Experiments;

/// <summary>
/// What <c>cloudassembly experiment</c> runs: Model Assembling of <see cref="Spec"/> at each budget (its PT, MT and FT
/// epochs times the budget), and end-to-end training of the same model on the same images for as many epochs as cost
/// the same; every pair once per seed; and both again on each fraction of the training images at <see cref="SweepBudget"/>.
/// </summary>
public sealed record ExperimentPlan(RunSpec Spec, IReadOnlyList<int> Budgets, IReadOnlyList<int> Seeds, IReadOnlyList<double> DataFractions,
    int SweepBudget, string Device, string WorkFolder)
{
    /// <summary>The spec one trial trains with: epochs times the budget, this seed, this fraction of the spec's training images.</summary>
    public RunSpec TrialSpec(int budget, int seed, double fraction) => Spec with
    {
        Seed = seed,
        TrainLimit = (int)Math.Round(Spec.TrainLimit * fraction),
        Pretrain = Spec.Pretrain with { Epochs = Spec.Pretrain.Epochs * budget },
        Modules = Spec.Modules with { Epochs = Spec.Modules.Epochs * budget },
        Finetune = Spec.Finetune with { Epochs = Spec.Finetune.Epochs * budget },
    };
}
