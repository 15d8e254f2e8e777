using System.Text.Json;
using System.Text.Json.Nodes;
namespace CloudAssembly.Contracts;

/// <summary>
/// Where two run specs differ, setting by setting (<c>modules.epochs 1 → 2</c>); empty when they are the same run. The
/// Assembler and the CLI judge a resubmission by this one comparison.
/// </summary>
public static class SpecDifferences
{
    public static IReadOnlyList<string> Between(RunSpec stored, RunSpec submitted)
    {
        var before = Flatten(JsonSerializer.SerializeToNode(stored, JsonSerializerOptions.Web));
        var after = Flatten(JsonSerializer.SerializeToNode(submitted, JsonSerializerOptions.Web));
        return [.. before.Keys.Union(after.Keys)
            .Where(key => before.GetValueOrDefault(key) != after.GetValueOrDefault(key))
            .Select(key => $"{key} {before.GetValueOrDefault(key) ?? "(none)"} → {after.GetValueOrDefault(key) ?? "(none)"}")];
    }

    private static Dictionary<string, string> Flatten(JsonNode? node, string prefix = "")
    {
        var values = new Dictionary<string, string>();
        if (node is JsonObject obj)
        {
            foreach (var (name, child) in obj)
                foreach (var (key, value) in Flatten(child, prefix.Length == 0 ? name : $"{prefix}.{name}"))
                    values[key] = value;
        }
        else
        {
            values[prefix] = node?.ToJsonString() ?? "null";
        }
        return values;
    }
}
