using CloudAssembly.Contracts;
using CloudAssembly.Model;
using CloudAssembly.Orchestration.Runs;

namespace CloudAssembly.Orchestration.Assembler;

/// <summary>
/// Everything a run spec must satisfy, checked in one place when the run is submitted, so a bad spec is refused at
/// once with one sentence instead of failing on a GPU three attempts later: no member the spec does not have (a typo
/// is not run with the default), a model and recipe in range, and data only where the operator allows
/// (<see cref="DataSources"/>). The CLI checks <see cref="Problem"/> before it sends a spec; the Assembler checks it
/// all again, since a spec can come from any client.
/// </summary>
public static class RunSpecRules
{
    public const int MaxModules = 16, MaxTotalDepth = 64, MaxEpochs = 10_000, MaxBatch = 4096, MaxUpdateFreq = 1024, MaxDevicesPerNode = 64, MaxNodes = 64;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first thing wrong with the submission and what to do.</summary>
    public static void Validate(SubmitRun submit, DataSources sources)
    {
        RunId.Validate(submit.RunId);
        if (SpecFields.FirstUnknown(submit) is { } unknown)
            throw new ArgumentException($"Run '{submit.RunId}' is refused: {unknown}");
        Validate(submit.RunId, submit.Spec, sources);
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first thing wrong with the run and what to do.</summary>
    public static void Validate(string runId, RunSpec? spec, DataSources sources)
    {
        RunId.Validate(runId);
        if ((spec is null ? "the submission has no spec." : Problem(spec) ?? sources.Problem(spec)) is { } what)
            throw new ArgumentException($"Run '{runId}' is refused: {what}");
    }

    /// <summary>What is wrong with the spec itself, wherever it runs, as one sentence; null when nothing is.</summary>
    public static string? Problem(RunSpec spec)
    {
        if (SpecFields.FirstUnknown(spec) is { } unknown)
            return unknown;
        if (spec.Model is null || spec.Depths is null || spec.MetaDepths is null || spec.DataSet is null || spec.DataPath is null)
            return "model, depths, metaDepths, dataSet and dataPath may not be null; leave a setting out to take its default.";
        if (!ModelCatalog.Contains(spec.Model))
            return $"model '{spec.Model}' is not known; use one of {string.Join(", ", ModelCatalog.Names)}.";
        var k = spec.Depths.Count;
        if (k is < 1 or > MaxModules || spec.MetaDepths.Count != k)
            return $"Depths [{string.Join(' ', spec.Depths)}] and MetaDepths [{string.Join(' ', spec.MetaDepths)}] must list the same " +
                $"number of modules, 1 to {MaxModules}.";
        if (spec.Depths.Any(d => d < 1) || spec.MetaDepths.Where((m, i) => m < 1 || m > spec.Depths[i]).Any() || spec.Depths.Sum() > MaxTotalDepth)
            return $"each module needs 1 ≤ meta depth ≤ depth and at most {MaxTotalDepth} blocks in all; got Depths " +
                $"[{string.Join(' ', spec.Depths)}], MetaDepths [{string.Join(' ', spec.MetaDepths)}].";
        var imageSize = ModelCatalog.Create(spec.Model, 10, spec.Depths).ImageSize;
        if (spec.InputSize != imageSize)
            return $"InputSize {spec.InputSize} does not fit {spec.Model}, which takes {imageSize}×{imageSize} images.";
        foreach (var (name, recipe) in Recipes(spec))
        {
            if (recipe is null)
                return $"{name} has no recipe; leave it out to take the default.";
            if (recipe.Epochs is < 1 or > MaxEpochs)
                return $"{name} has {recipe.Epochs} epochs; use 1 to {MaxEpochs}.";
            if (recipe.BatchSize is < 1 or > MaxBatch || recipe.UpdateFreq is < 1 or > MaxUpdateFreq)
                return $"{name} has batch size {recipe.BatchSize} × update frequency {recipe.UpdateFreq}; use 1 to {MaxBatch} and 1 to {MaxUpdateFreq}.";
            if (!double.IsFinite(recipe.Lr) || recipe.Lr <= 0 || recipe.DropPath is < 0 or >= 1 || recipe.WarmupEpochs < 0)
                return $"{name} needs a finite lr > 0, 0 ≤ drop path < 1 and warmup epochs ≥ 0.";
            if (recipe.Nodes is < 1 or > MaxNodes || recipe.DevicesPerNode is < 1 or > MaxDevicesPerNode)
                return $"{name} asks for {recipe.Nodes} nodes × {recipe.DevicesPerNode} devices; use 1 to {MaxNodes} nodes and 1 to {MaxDevicesPerNode} devices per node.";
        }
        if (spec.TrainLimit < 0 || spec.EvalLimit < 0)
            return "TrainLimit and EvalLimit must be 0 (all) or more.";
        return null;
    }

    private static IEnumerable<(string Name, PhaseRecipe? Recipe)> Recipes(RunSpec spec)
    {
        yield return ("Pretrain", spec.Pretrain);
        yield return ("Modules", spec.Modules);
        yield return ("Finetune", spec.Finetune);
        if (spec.Baseline is { } baseline)
            yield return ("Baseline", baseline);
    }
}
