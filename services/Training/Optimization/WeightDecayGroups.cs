using TorchSharp.Modules;

namespace CloudAssembly.Training.Optimization;

/// <summary>
/// timm's <c>add_weight_decay</c>: a parameter gets no decay when it is 1-D, its name ends in <c>.bias</c>, or its
/// name is in the model's skip list; every other trainable parameter decays. The no-decay group comes first.
/// </summary>
public static class WeightDecayGroups
{
    /// <summary>The skip list of the whole model (<c>model.no_weight_decay()</c>), used in PT, FT and E2E.</summary>
    public static readonly IReadOnlySet<string> ModelSkipList = new HashSet<string> { "pos_embed", "cls_token" };

    /// <summary>
    /// In MT the official code builds the optimizer on <c>stages[idx]</c>, a bare module with no skip list, so for
    /// idx 0 the 3-D <c>cls_token</c> and <c>pos_embed</c> do decay. We keep that (see docs/method-notes.md).
    /// </summary>
    public static readonly IReadOnlySet<string> StageSkipList = new HashSet<string>();

    public static IReadOnlyList<ParameterGroup> Build(IEnumerable<(string Name, Parameter Parameter)> parameters,
        double weightDecay, IReadOnlySet<string> skipList)
    {
        var noDecay = new List<(string, Parameter)>();
        var decay = new List<(string, Parameter)>();
        foreach (var (name, p) in parameters)
        {
            if (!p.requires_grad)
                continue;
            if (p.dim() == 1 || name.EndsWith(".bias", StringComparison.Ordinal) || skipList.Contains(name))
                noDecay.Add((name, p));
            else
                decay.Add((name, p));
        }
        return [new ParameterGroup(0.0, noDecay), new ParameterGroup(weightDecay, decay)];
    }
}
