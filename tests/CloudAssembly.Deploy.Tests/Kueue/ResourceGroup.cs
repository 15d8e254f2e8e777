using System.Text.Json.Serialization;

namespace CloudAssembly.Deploy.Tests.Kueue;

/// <summary>Resources whose quotas are given together, per flavor.</summary>
public sealed class ResourceGroup
{
    [JsonPropertyName("coveredResources")] public List<string> CoveredResources { get; set; } = [];
    [JsonPropertyName("flavors")] public List<FlavorQuotas> Flavors { get; set; } = [];
}
