namespace CloudAssembly.Model;

/// <summary>
/// The registered model names. Like the official factory, a name fixes width, heads, patch and image size; depth is
/// never taken from the name but from <c>--divided_depths</c>.
/// </summary>
public static class ModelCatalog
{
    private sealed record Shape(int ImageSize, int PatchSize, int InChannels, int EmbedDim, int NumHeads, bool QkvBias, double LayerNormEps, int OfficialDepth);

    private static readonly IReadOnlyDictionary<string, Shape> Shapes = new Dictionary<string, Shape>
    {
        // DeiT's names (models.py); the official main.py's default --model is deit_base_patch16_224.
        ["deit_tiny_patch16_224"] = new(224, 16, 3, 192, 3, true, 1e-6, 12),
        ["deit_small_patch16_224"] = new(224, 16, 3, 384, 6, true, 1e-6, 12),
        ["deit_base_patch16_224"] = new(224, 16, 3, 768, 12, true, 1e-6, 12),
        ["deit_base_patch16_384"] = new(384, 16, 3, 768, 12, true, 1e-6, 12),
        ["vit_base_patch16_224"] = new(224, 16, 3, 768, 12, true, 1e-6, 12),
        ["vit_base_patch16_384"] = new(384, 16, 3, 768, 12, true, 1e-6, 12),
        ["vit_large_patch16_224"] = new(224, 16, 3, 1024, 16, true, 1e-6, 24),
        ["vit_large_patch16_384"] = new(384, 16, 3, 1024, 16, true, 1e-6, 24),
        // ViT-H is created with timm's defaults: no qkv bias and a plain nn.LayerNorm (eps 1e-5).
        ["vit_huge_patch14_224"] = new(224, 14, 3, 1280, 16, false, 1e-5, 32),
        ["vit_huge_patch14_392"] = new(392, 14, 3, 1280, 16, false, 1e-5, 32),
        // Small configurations for CPU work: Fashion-MNIST (1 channel, 28x28; the demo uses 7x7 patches) and the paper's CIFAR DeiT-Tiny (32x32, patch 4).
        ["vit_mini_patch4_28"] = new(28, 4, 1, 64, 4, true, 1e-6, 8),
        ["vit_mini_patch7_28"] = new(28, 7, 1, 64, 4, true, 1e-6, 8),
        ["deit_tiny_patch4_32"] = new(32, 4, 3, 192, 3, true, 1e-6, 12),
    };

    public static IEnumerable<string> Names => Shapes.Keys;

    public static bool Contains(string name) => Shapes.ContainsKey(name);

    /// <summary>The depth of the full model in the paper (12 for B, 24 for L, 32 for H).</summary>
    public static int OfficialDepth(string name) => Find(name).OfficialDepth;

    public static VitConfig Create(string name, int numClasses, IReadOnlyList<int> depths, double dropPathRate = 0.0)
    {
        var s = Find(name);
        if (depths.Count == 0 || depths.Any(d => d < 1))
            throw new ArgumentException($"--divided_depths must list one positive depth per stage, got '{string.Join(' ', depths)}'.");
        if (numClasses < 1)
            throw new ArgumentException($"A model needs at least one class, got {numClasses}.");
        return new VitConfig(name, s.ImageSize, s.PatchSize, s.InChannels, s.EmbedDim, s.NumHeads, 4.0, numClasses,
            s.QkvBias, s.LayerNormEps, depths.ToArray(), dropPathRate);
    }

    private static Shape Find(string name) =>
        Shapes.TryGetValue(name, out var shape)
            ? shape
            : throw new ArgumentException($"Unknown model '{name}'; known models: {string.Join(", ", Shapes.Keys)}.");
}
