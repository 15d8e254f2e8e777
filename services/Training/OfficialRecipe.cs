namespace CloudAssembly.Training;

/// <summary>
/// The effective batch the official recipe trains each ViT-B/L/H phase at (8 GPUs: PT 8 × 256, MT 8 × 128 × 2,
/// FT 8 × 64 × 4), so a run that differs can say so: the lr scales with the batch, but the recipe was tuned at 2048.
/// </summary>
public static class OfficialRecipe
{
    public const int EffectiveBatch = 2048;

    private static readonly string[] Models = ["vit_base_", "vit_large_", "vit_huge_"];

    /// <summary>A warning when <paramref name="o"/> trains an official model at another effective batch, else null.</summary>
    public static string? BatchWarning(TrainOptions o) =>
        !Models.Any(o.Model.StartsWith) || o.EffectiveBatch == EffectiveBatch || o.Eval
            ? null
            : $"{o.Model}: effective batch {o.WorldSize} x {o.BatchSize} x {o.UpdateFreq} = {o.EffectiveBatch} differs from the official {EffectiveBatch} " +
              $"(8 GPUs: PT 8 x 256, MT 8 x 128 x 2, FT 8 x 64 x 4; on one GPU: 256 x 8, 128 x 16, 64 x 32); " +
              $"the lr is scaled to {o.EffectiveBatch}/512, but results may differ from the paper's.";
}
