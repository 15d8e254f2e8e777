using System.Text.Json.Serialization;
using k8s.Models;

namespace CloudAssembly.Deploy.Tests.Kueue;

public sealed class ClusterQueueSpec
{
    [JsonPropertyName("namespaceSelector")] public V1LabelSelector? NamespaceSelector { get; set; }
    [JsonPropertyName("resourceGroups")] public List<ResourceGroup> ResourceGroups { get; set; } = [];
}
