using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CloudAssembly.Model;

/// <summary>
/// One module of the network (the official <c>model.stages[i]</c>): a contiguous slice of blocks; stage 0 also owns
/// the patch embedding, class token and position embedding, the last stage also the final norm and the head. Names
/// are the official local keys (block indices restart at 0 in every stage), so a stage's state dict is exactly an
/// entry of a checkpoint's <c>model_stages</c>.
/// </summary>
public sealed class Stage
{
    private readonly VisionTransformer model;

    internal Stage(VisionTransformer model, int index)
    {
        this.model = model;
        Index = index;
    }

    public int Index { get; }

    public int Depth => model.Config.Depths[Index];

    public bool OwnsEmbeddings => Index == 0;

    public bool OwnsHead => Index == model.Config.NumStages - 1;

    public IReadOnlyList<(string Name, Parameter Parameter)> NamedParameters()
    {
        var list = new List<(string, Parameter)>();
        if (OwnsEmbeddings)
            list.AddRange(model.EmbeddingParameters());
        var range = model.Config.StageBlocks(Index);
        for (var global = range.Start.Value; global < range.End.Value; global++)
        {
            var local = global - range.Start.Value;
            list.AddRange(model.BlockParameters(global).Select(p => ($"blocks.{local}.{p.Name}", p.Parameter)));
        }
        if (OwnsHead)
            list.AddRange(model.HeadParameters());
        return list;
    }

    public IEnumerable<Parameter> Parameters() => NamedParameters().Select(p => p.Parameter);

    public void SetRequiresGrad(bool requiresGrad)
    {
        foreach (var p in Parameters())
            p.requires_grad = requiresGrad;
    }

    /// <summary>The stage's tensors under their local names (views on the live parameters, detached).</summary>
    public Dictionary<string, Tensor> StateDict() =>
        NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.detach());

    /// <summary>
    /// Copies a stage state dict into this stage, strictly (every key present, nothing extra, every shape equal), as the
    /// official <c>module.load_state_dict(meta_modules[i])</c> does. <paramref name="source"/> names where the dict
    /// came from, for the error message.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, string source)
    {
        var own = NamedParameters();
        var missing = own.Select(p => p.Name).Where(n => !state.ContainsKey(n)).ToList();
        var unexpected = state.Keys.Where(k => own.All(p => p.Name != k)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new CheckpointMismatchException(
                $"Stage {Index} of {source} does not fit stage {Index} of {model.Config.Name} with depths [{model.Config.DepthsText}] " +
                $"(stage depth {Depth}): {Describe(missing, "missing")}{(missing.Count > 0 && unexpected.Count > 0 ? "; " : "")}{Describe(unexpected, "unexpected")}.");
        foreach (var (name, p) in own)
        {
            var src = state[name];
            if (!src.shape.SequenceEqual(p.shape))
                throw new CheckpointMismatchException(
                    $"Stage {Index} of {source} does not fit {model.Config.Name}: '{name}' has shape [{string.Join(", ", src.shape)}] " +
                    $"in the checkpoint but [{string.Join(", ", p.shape)}] in the model.");
        }
        using var _ = no_grad();
        foreach (var (name, p) in own)
            p.copy_(state[name]);
    }

    private static string Describe(List<string> keys, string what) =>
        keys.Count == 0 ? "" : $"{keys.Count} {what} key(s) such as '{string.Join("', '", keys.Take(3))}'";
}
