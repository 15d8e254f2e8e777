using System.Text.Json.Serialization;
using k8s.Models;

namespace CloudAssembly.Deploy.Tests.Kueue;

public sealed class ResourceFlavorSpec
{
    [JsonPropertyName("nodeLabels")] public Dictionary<string, string> NodeLabels { get; set; } = [];
    [JsonPropertyName("tolerations")] public List<V1Toleration> Tolerations { get; set; } = [];
}
