using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace CloudAssembly.Deploy.Tests.Kueue;

/// <summary>Kueue's ClusterQueue with the fields these manifests use (see <see cref="ResourceFlavor"/>).</summary>
public sealed class ClusterQueue : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public ClusterQueueSpec Spec { get; set; } = new();
}
