using System.Text.Json;

namespace CloudAssembly.TestSupport;

/// <summary>
/// <c>tests/reference/recipe.json</c> and <c>mt_step_c1.pth</c>: numbers computed by the official code itself
/// (main.py's argparse, timm 0.3.2's scheduler, optimizer factory and Mixup, RASampler, clip_grad_norm_); see
/// <c>make_recipe_reference.py</c> beside them for what each section holds.
/// </summary>
public static class RecipeReference
{
    private static readonly JsonElement Root =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(ReferenceFiles.Folder, "recipe.json"))).RootElement;

    public static string MtStepPath => Path.Combine(ReferenceFiles.Folder, "mt_step_c1.pth");

    public static JsonElement Section(string name) => Root.GetProperty(name);

    private static readonly JsonElement SemanticsRoot =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(ReferenceFiles.Folder, "official_semantics.json"))).RootElement;

    /// <summary>A section of <c>official_semantics.json</c> (transcribed from the official code; see the reference README).</summary>
    public static JsonElement Semantics(string name) => SemanticsRoot.GetProperty(name);

    /// <summary>The indices of a list section, for theories (one case per entry).</summary>
    public static TheoryData<int> Indices(string section) => [.. Enumerable.Range(0, Section(section).GetArrayLength())];

    public static double[] Doubles(this JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetDouble())];

    public static int[] Ints(this JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetInt32())];
}
