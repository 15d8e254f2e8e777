using CloudAssembly.Model;
using CloudAssembly.Model.Checkpoints;
using CloudAssembly.Training.Checkpoints;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace CloudAssembly.Training.Phases;

/// <summary>
/// <c>--finetune</c>: initialise from another run's <c>model_stages</c>, stage by stage. When the checkpoint was
/// trained at another resolution, stage 0's <c>pos_embed</c> is resized bicubically over the patch grid (the class
/// token's entry kept, <c>align_corners=False</c>), as DeiT's main.py does. A head for another number of classes
/// fails, as the official strict load does, unless a new head is asked for (it is then left freshly initialised).
/// </summary>
public static class FinetuneInitializer
{
    public static void Load(VisionTransformer model, string path, bool newHead, Action<string> log)
    {
        var stages = PhaseCheckpoint.Stages(TorchLoadReader.Read(path), path).Select(s => new Dictionary<string, Tensor>(s)).ToList();
        if (stages.Count != model.Stages.Count)
            throw new CheckpointMismatchException($"--finetune '{path}' has {stages.Count} stages but the model has {model.Stages.Count}.");
        var first = stages[0];
        var own = model.Stages[0].StateDict();
        if (first.TryGetValue("pos_embed", out var pos) && !pos.shape.SequenceEqual(own["pos_embed"].shape))
        {
            first["pos_embed"] = Interpolate(pos, model.Config.NumPatches);
            log($"--finetune: resized pos_embed from {pos.shape[1] - 1} to {model.Config.NumPatches} patches.");
        }
        var last = stages[^1];
        var ownLast = model.Stages[^1].StateDict();
        if (last.TryGetValue("head.weight", out var head) && !head.shape.SequenceEqual(ownLast["head.weight"].shape))
        {
            if (!newHead)
                throw new CheckpointMismatchException(
                    $"--finetune '{path}' has a head for {head.shape[0]} classes but this dataset has {model.Config.NumClasses}; " +
                    "add --finetune-new-head to train a new head.");
            last["head.weight"] = ownLast["head.weight"];
            last["head.bias"] = ownLast["head.bias"];
            log($"--finetune: the checkpoint's head has {head.shape[0]} classes; a new head for {model.Config.NumClasses} classes is trained.");
        }
        for (var i = 0; i < stages.Count; i++)
            model.Stages[i].LoadStateDict(stages[i], $"--finetune '{path}'");
    }

    public static Tensor Interpolate(Tensor posEmbed, int numPatches)
    {
        var dim = posEmbed.shape[2];
        var oldSize = (int)Math.Round(Math.Sqrt(posEmbed.shape[1] - 1));
        var newSize = (int)Math.Round(Math.Sqrt(numPatches));
        var cls = posEmbed.narrow(1, 0, 1);
        var grid = posEmbed.narrow(1, 1, oldSize * oldSize).reshape(1, oldSize, oldSize, dim).permute(0, 3, 1, 2);
        var resized = F.interpolate(grid, size: [newSize, newSize], mode: InterpolationMode.Bicubic, align_corners: false);
        return cat([cls, resized.permute(0, 2, 3, 1).flatten(1, 2)], dim: 1);
    }
}
