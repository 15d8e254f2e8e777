using TorchSharp;

namespace CloudAssembly.Model;

/// <summary>
/// The shape of one vision transformer as the official code builds it (timm 0.3.2 <c>VisionTransformer</c> with
/// <c>divided_depths</c>): the total depth is always the sum of the stage depths, <see cref="Depths"/> (the blocks of each
/// stage, the official <c>divided_depths</c>).
/// </summary>
public sealed record VitConfig(
    string Name,
    int ImageSize,
    int PatchSize,
    int InChannels,
    int EmbedDim,
    int NumHeads,
    double MlpRatio,
    int NumClasses,
    bool QkvBias,
    double LayerNormEps,
    IReadOnlyList<int> Depths,
    double DropPathRate = 0.0)
{
    public int Depth => Depths.Sum();
    public int NumStages => Depths.Count;
    public int NumPatches => (ImageSize / PatchSize) * (ImageSize / PatchSize);
    public int HiddenDim => (int)(EmbedDim * MlpRatio);

    /// <summary>
    /// Each block's stochastic-depth rate, linear from 0 to <see cref="DropPathRate"/> over the network being built (in
    /// MT: over the hybrid). Computed as the official code does, by a float32 <c>torch.linspace</c>, so the rates
    /// are the same floats (0.1 / 5 is 0.0199999995, not 0.02).
    /// </summary>
    public IReadOnlyList<double> DropPathRates()
    {
        using var rates = torch.linspace(0.0, DropPathRate, Depth, dtype: torch.ScalarType.Float32);
        return [.. rates.data<float>().ToArray().Select(r => (double)r)];
    }

    /// <summary>The global block indices that stage <paramref name="stage"/> owns.</summary>
    public Range StageBlocks(int stage)
    {
        var start = Depths.Take(stage).Sum();
        return start..(start + Depths[stage]);
    }

    public string DepthsText => string.Join(' ', Depths);
}
