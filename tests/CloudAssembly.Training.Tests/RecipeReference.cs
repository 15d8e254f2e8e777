using System.Text.Json;

namespace CloudAssembly.Training.Tests;

/// <summary>tests/reference/recipe.json: numbers made by the official code (see make_recipe_reference.py beside it).</summary>
public static class RecipeReference
{
    private static readonly Lazy<JsonElement> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "tests", "reference", "recipe.json");
            if (File.Exists(path))
                return JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        }
        throw new FileNotFoundException($"tests/reference/recipe.json was not found above {AppContext.BaseDirectory}.");
    });

    public static JsonElement Section(string name) => Root.Value.GetProperty(name);
}
