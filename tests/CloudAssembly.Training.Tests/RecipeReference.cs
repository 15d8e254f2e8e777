using System.Text.Json;
using CloudAssembly.TestSupport;

namespace CloudAssembly.Training.Tests;

/// <summary>tests/reference/recipe.json: numbers made by the official code (see make_recipe_reference.py beside it).</summary>
public static class RecipeReference
{
    private static readonly Lazy<JsonElement> Root =
        new(() => JsonDocument.Parse(File.ReadAllText(Path.Combine(ReferenceFiles.Folder, "recipe.json"))).RootElement);

    public static JsonElement Section(string name) => Root.Value.GetProperty(name);
}
