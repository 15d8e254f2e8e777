using CloudAssembly.Contracts;
using CloudAssembly.Training;

namespace CloudAssembly.Pipeline;

/// <summary>
/// Turns a <see cref="RunSpec"/> into the <see cref="TrainOptions"/> of each phase, exactly as the seed's three
/// scripts spell them: PT on the meta depths, MT i on the meta depths with module i at its full depth and the PT
/// checkpoint as <c>--meta_model</c>, FT on the full depths with the K MT checkpoints in stage order (or the model
/// assembled from them). A phase of nodes × devices ranks holds its pod's devices as <see cref="TrainOptions.Devices"/>
/// (CPU: that many threads); the trainer of node n sets its first <see cref="TrainOptions.Rank"/> to n × devices.
/// </summary>
public static class PhasePlanner
{
    public static TrainOptions Pretrain(RunSpec spec, string outputDir, string device) =>
        Common(spec, spec.Pretrain, device) with { Phase = Phase.PT, DividedDepths = spec.MetaDepths, OutputDir = outputDir };

    public static TrainOptions Module(RunSpec spec, int idx, string metaCheckpoint, string outputDir, string device)
    {
        if (idx < 0 || idx >= spec.NumModules)
            throw new ArgumentOutOfRangeException(nameof(idx), $"Module {idx} does not exist in a run of {spec.NumModules} modules.");
        return Common(spec, spec.Modules, device) with
        {
            Phase = Phase.MT,
            Idx = idx,
            DividedDepths = [.. spec.MetaDepths.Select((d, i) => i == idx ? spec.Depths[i] : d)],
            MetaModel = metaCheckpoint,
            OutputDir = outputDir,
        };
    }

    public static TrainOptions Finetune(RunSpec spec, IReadOnlyList<string> moduleCheckpoints, string outputDir, string device) =>
        Common(spec, spec.Finetune, device) with
        {
            Phase = Phase.FT,
            DividedDepths = spec.Depths,
            IncubationModels = moduleCheckpoints,
            OutputDir = outputDir,
            EvaluateBeforeTraining = true,
        };

    /// <summary>FT as the services run it: from the model the Assembler assembled once, not from the K module checkpoints again.</summary>
    public static TrainOptions Finetune(RunSpec spec, string assembledModel, string outputDir, string device) =>
        Finetune(spec, [], outputDir, device) with { AssembledModel = assembledModel };

    /// <summary>The final evaluation: the fine-tuned model on the whole validation split.</summary>
    public static TrainOptions Eval(RunSpec spec, string finetuned, string outputDir, string device) =>
        Common(spec, spec.Finetune, device) with
        {
            Phase = Phase.E2E,
            DividedDepths = spec.Depths,
            Finetune = finetuned,
            Eval = true,
            EvalLimit = 0,
            WorldSize = 1,
            Devices = [],
            OutputDir = outputDir,
        };

    public static TrainOptions Baseline(RunSpec spec, string outputDir, string device) =>
        Common(spec, spec.Baseline ?? throw new InvalidOperationException("The run has no E2E baseline."), device) with
        {
            Phase = Phase.E2E,
            DividedDepths = spec.Depths,
            OutputDir = outputDir,
        };

    private static TrainOptions Common(RunSpec spec, PhaseRecipe recipe, string device) => new()
    {
        Model = spec.Model,
        InputSize = spec.InputSize,
        DataSet = spec.DataSet,
        DataPath = spec.DataPath,
        Device = device,
        WorldSize = recipe.WorldSize,
        Devices = recipe.WorldSize == 1 ? [] : [.. Enumerable.Range(0, recipe.DevicesPerNode).Select(i => device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) ? $"cuda:{i}" : device)],
        Epochs = recipe.Epochs,
        BatchSize = recipe.BatchSize,
        UpdateFreq = recipe.UpdateFreq,
        DropPath = recipe.DropPath,
        WarmupEpochs = recipe.WarmupEpochs,
        ClipGrad = recipe.ClipGrad,
        ClipGradInFp32 = recipe.ClipGradInFp32,
        Lr = recipe.Lr,
        UseAmp = spec.UseAmp,
        WeightDecay = spec.WeightDecay,
        MinLr = spec.MinLr,
        WarmupLr = spec.WarmupLr,
        Mixup = spec.Mixup,
        Cutmix = spec.Cutmix,
        Smoothing = spec.Smoothing,
        Aa = spec.Aa,
        Reprob = spec.Reprob,
        ColorJitter = spec.ColorJitter,
        CropPadding = spec.CropPadding,
        RepeatedAug = spec.RepeatedAug,
        Seed = spec.Seed,
        TrainLimit = spec.TrainLimit,
        EvalLimit = spec.EvalLimit,
        NumWorkers = Math.Max(1, Environment.ProcessorCount),
    };
}
