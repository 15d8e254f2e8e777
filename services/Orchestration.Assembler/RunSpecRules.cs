using CloudAssembly.Contracts;
using CloudAssembly.Data.Datasets;
using CloudAssembly.Model;
using CloudAssembly.Orchestration.Runs;

namespace CloudAssembly.Orchestration.Assembler;

/// <summary>
/// Everything a run spec must satisfy, checked in one place when the run is submitted, so a bad spec is refused at
/// once with one sentence instead of failing on a GPU three attempts later. Source data must lie under one of the
/// configured roots (the folders DataPrep reads); a SHARDS dataset is a blob location and is not a path.
/// </summary>
public static class RunSpecRules
{
    public const int MaxModules = 16, MaxTotalDepth = 64, MaxEpochs = 10_000, MaxBatch = 4096, MaxUpdateFreq = 1024, MaxDevicesPerNode = 64, MaxNodes = 64;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first thing wrong with the run and what to do.</summary>
    public static void Validate(string runId, RunSpec spec, IReadOnlyList<string> dataRoots)
    {
        RunId.Validate(runId);
        if (!ModelCatalog.Contains(spec.Model))
            Reject(runId, $"model '{spec.Model}' is not known; use one of {string.Join(", ", ModelCatalog.Names)}");
        var k = spec.Depths.Count;
        if (k is < 1 or > MaxModules || spec.MetaDepths.Count != k)
            Reject(runId, $"Depths [{string.Join(' ', spec.Depths)}] and MetaDepths [{string.Join(' ', spec.MetaDepths)}] must list the same " +
                $"number of modules, 1 to {MaxModules}");
        if (spec.Depths.Any(d => d < 1) || spec.MetaDepths.Where((m, i) => m < 1 || m > spec.Depths[i]).Any() || spec.Depths.Sum() > MaxTotalDepth)
            Reject(runId, $"each module needs 1 ≤ meta depth ≤ depth and at most {MaxTotalDepth} blocks in all; got Depths " +
                $"[{string.Join(' ', spec.Depths)}], MetaDepths [{string.Join(' ', spec.MetaDepths)}]");
        var imageSize = ModelCatalog.Create(spec.Model, 10, spec.Depths).ImageSize;
        if (spec.InputSize != imageSize)
            Reject(runId, $"InputSize {spec.InputSize} does not fit {spec.Model}, which takes {imageSize}×{imageSize} images");
        foreach (var (name, recipe) in Recipes(spec))
        {
            if (recipe.Epochs is < 1 or > MaxEpochs)
                Reject(runId, $"{name} has {recipe.Epochs} epochs; use 1 to {MaxEpochs}");
            if (recipe.BatchSize is < 1 or > MaxBatch || recipe.UpdateFreq is < 1 or > MaxUpdateFreq)
                Reject(runId, $"{name} has batch size {recipe.BatchSize} × update frequency {recipe.UpdateFreq}; use 1 to {MaxBatch} and 1 to {MaxUpdateFreq}");
            if (!double.IsFinite(recipe.Lr) || recipe.Lr <= 0 || recipe.DropPath is < 0 or >= 1 || recipe.WarmupEpochs < 0)
                Reject(runId, $"{name} needs a finite lr > 0, 0 ≤ drop path < 1 and warmup epochs ≥ 0");
            if (recipe.Nodes is < 1 or > MaxNodes || recipe.DevicesPerNode is < 1 or > MaxDevicesPerNode)
                Reject(runId, $"{name} asks for {recipe.Nodes} nodes × {recipe.DevicesPerNode} devices; use 1 to {MaxNodes} nodes and 1 to {MaxDevicesPerNode} devices per node");
        }
        if (spec.TrainLimit < 0 || spec.EvalLimit < 0)
            Reject(runId, "TrainLimit and EvalLimit must be 0 (all) or more");
        if (!DatasetCatalog.IsShards(spec.DataSet) && !UnderRoot(spec.DataPath, dataRoots))
            Reject(runId, $"data path '{spec.DataPath}' is not under a data root DataPrep reads ({string.Join(", ", dataRoots)})");
    }

    private static IEnumerable<(string Name, PhaseRecipe Recipe)> Recipes(RunSpec spec)
    {
        yield return ("Pretrain", spec.Pretrain);
        yield return ("Modules", spec.Modules);
        yield return ("Finetune", spec.Finetune);
        if (spec.Baseline is { } baseline)
            yield return ("Baseline", baseline);
    }

    private static bool UnderRoot(string path, IReadOnlyList<string> roots)
    {
        if (string.IsNullOrWhiteSpace(path) || !Path.IsPathFullyQualified(path) || path.Contains('\0'))
            return false;
        var full = Path.GetFullPath(path);
        return roots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r)))
            .Any(root => full == root || full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }

    private static void Reject(string runId, string what) =>
        throw new ArgumentException($"Run '{runId}' is refused: {what}.");
}
