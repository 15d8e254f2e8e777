using System.Collections;
using CloudAssembly.Model;
using CloudAssembly.Model.Checkpoints;
using CloudAssembly.Training.Checkpoints;
using CloudAssembly.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Phases;

/// <summary>
/// Builds the network a phase trains and decides what it optimizes, exactly as the official <c>main.py</c> does
/// (method.md §2–3): PT and E2E train a freshly initialised model; MT loads every stage but <c>--idx</c> from the
/// meta model (strictly), keeps the target stage freshly initialised and optimizes only it; FT assembles stage i
/// from the i-th MT checkpoint (or loads a model assembled before) and optimizes everything. <c>--finetune</c> loads
/// before either, as in main.py.
/// </summary>
public static class PhaseModelBuilder
{
    /// <summary>Builds the phase's network; a fresh initialisation draws from <paramref name="random"/> (null: the global generator).</summary>
    public static PreparedModel Build(TrainOptions o, int numClasses, Device device, Action<string> log, Generator? random = null)
    {
        Validate(o);
        var config = ModelCatalog.Create(o.Model, numClasses, o.Depths, o.DropPath);
        if (o.InputSize != config.ImageSize)
            throw new ArgumentException(
                $"--input-size {o.InputSize} does not match {o.Model}, which takes {config.ImageSize}x{config.ImageSize} images.");
        var model = new VisionTransformer(config, random);
        // The official order: --finetune first, then MT's meta stages or FT's incubated stages over it.
        if (!string.IsNullOrEmpty(o.Finetune))
            FinetuneInitializer.Load(model, o.Finetune, o.FinetuneNewHead, log);
        switch (o.Phase)
        {
            case Phase.MT:
                IncubateFromMeta(model, o.MetaModel!, o.Idx!.Value, log);
                break;
            case Phase.FT when o.AssembledModel is { } assembled:
                LoadAssembled(model, assembled, log);
                break;
            case Phase.FT:
                Assemble(model, o.IncubationModels, log);
                break;
        }

        // Every parameter moves before the optimizer sees it: TorchSharp's .to() replaces Parameter objects.
        model.to(device);
        if (o.UseAmp)
            model.ComputeType = ScalarType.BFloat16;

        IReadOnlyList<ParameterGroup> groups;
        if (o.Phase == Phase.MT)
        {
            var target = o.Idx!.Value;
            // Official: only stages[idx] goes to the optimizer and stages before idx stop requiring grad. We freeze every
            // other stage (method.md pitfall 3): the maths is the same, later meta stages just stop computing unused grads.
            foreach (var stage in model.Stages)
                stage.SetRequiresGrad(stage.Index == target);
            groups = WeightDecayGroups.Build(model.Stages[target].NamedParameters(), o.WeightDecay, WeightDecayGroups.StageSkipList);
        }
        else
        {
            groups = WeightDecayGroups.Build(model.NamedParameters(), o.WeightDecay, WeightDecayGroups.ModelSkipList);
        }
        return new PreparedModel(model, groups);
    }

    public static void Validate(TrainOptions o)
    {
        if (o.Depths.Count == 0)
            throw new ArgumentException(
                "--divided_depths is required for every phase (e.g. 1 1 1 1 for PT, 3 1 1 1 for MT --idx 0, 3 3 3 3 for FT).");
        if (o.StartEpoch < 0 || o.StartEpoch >= o.Epochs)
            throw new ArgumentException(
                $"--start_epoch {o.StartEpoch} leaves nothing to train in --epochs {o.Epochs}: use 0..{o.Epochs - 1}.");
        if (o.SaveFreq < 1)
            throw new ArgumentException($"--save_freq must be at least 1, got {o.SaveFreq}.");
        var k = o.Depths.Count;
        switch (o.Phase)
        {
            case Phase.MT when o.Idx is null:
                throw new ArgumentException("--phase MT needs --idx, the index of the module to incubate.");
            case Phase.MT when o.Idx < 0 || o.Idx >= k:
                throw new ArgumentException(
                    $"--idx {o.Idx} is out of range for {k} stages (--divided_depths {o.DepthsText()}): use 0..{k - 1}.");
            case Phase.MT when string.IsNullOrEmpty(o.MetaModel):
                throw new ArgumentException("--phase MT needs --meta_model, the PT phase's finished_checkpoint.pth.");
            case Phase.FT when o.AssembledModel is not null && o.IncubationModels.Count > 0:
                throw new ArgumentException("--phase FT starts from the K MT checkpoints or from one assembled model, not both: give one of them.");
            case Phase.FT when o.AssembledModel is null && o.IncubationModels.Count != k:
                throw new ArgumentException(
                    $"--phase FT with --divided_depths {o.DepthsText()} needs {k} --incubation_models " +
                    $"(one MT checkpoint per stage, in stage order), got {o.IncubationModels.Count}.");
        }
    }

    private static void IncubateFromMeta(VisionTransformer model, string metaPath, int target, Action<string> log)
    {
        var meta = TorchLoadReader.Read(metaPath);
        RequireSameModel(model, meta, $"meta model '{metaPath}'");
        var stages = PhaseCheckpoint.Stages(meta, metaPath);
        if (stages.Count != model.Stages.Count)
            throw new CheckpointMismatchException(
                $"Meta model '{metaPath}' has {stages.Count} stages but --divided_depths {model.Config.DepthsText} has {model.Stages.Count}.");
        foreach (var stage in model.Stages.Where(s => s.Index != target))
            stage.LoadStateDict(stages[stage.Index], $"meta model '{metaPath}'");
        log($"MT: stages {string.Join(", ", model.Stages.Where(s => s.Index != target).Select(s => s.Index))} loaded from '{metaPath}'; " +
            $"stage {target} ({model.Stages[target].Depth} blocks) freshly initialised and the only one optimized.");
    }

    private static void Assemble(VisionTransformer model, IReadOnlyList<string> incubated, Action<string> log)
    {
        // A file listed for several stages (an assembled checkpoint given for every stage) is read once.
        var read = new Dictionary<string, Hashtable>();
        for (var i = 0; i < incubated.Count; i++)
        {
            var path = incubated[i];
            if (!read.TryGetValue(path, out var checkpoint))
                read[path] = checkpoint = TorchLoadReader.Read(path);
            var source = $"incubation model #{i} '{path}'";
            RequireSameModel(model, checkpoint, source);
            if (CheckpointMetadata.From(checkpoint) is { Idx: { } idx } && idx != i)
                throw new CheckpointMismatchException(
                    $"{source} incubated module {idx} (MT --idx {idx}), not module {i}: list the MT checkpoints in stage order.");
            var stages = PhaseCheckpoint.Stages(checkpoint, path);
            if (stages.Count != model.Stages.Count)
                throw new CheckpointMismatchException($"{source} has {stages.Count} stages; the assembled model has {model.Stages.Count}.");
            model.Stages[i].LoadStateDict(stages[i], source);
        }
        log($"FT: assembled {incubated.Count} stages from the MT checkpoints ({string.Join(", ", incubated)}).");
    }

    private static void LoadAssembled(VisionTransformer model, string path, Action<string> log)
    {
        var checkpoint = TorchLoadReader.Read(path);
        RequireSameModel(model, checkpoint, $"assembled model '{path}'");
        PhaseCheckpoint.LoadAllStages(model, checkpoint, path);
        log($"FT: the assembled model loaded from '{path}' ({model.Stages.Count} stages).");
    }

    private static void RequireSameModel(VisionTransformer model, Hashtable checkpoint, string source)
    {
        if (CheckpointMetadata.From(checkpoint) is { } meta && meta.Model != model.Config.Name)
            throw new CheckpointMismatchException($"{source} is a {meta.Model} checkpoint, but --model is {model.Config.Name}.");
        if (CheckpointMetadata.From(checkpoint) is { } m && m.NumClasses != model.Config.NumClasses)
            throw new CheckpointMismatchException(
                $"{source} was trained for {m.NumClasses} classes, but this dataset has {model.Config.NumClasses}.");
    }
}

/// <summary>The phase's network on its device and the parameter groups its optimizer gets.</summary>
public sealed record PreparedModel(VisionTransformer Model, IReadOnlyList<ParameterGroup> Groups);
