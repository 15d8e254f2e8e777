using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace CloudAssembly.Deploy.Tests.Keda;

/// <summary>
/// KEDA's ScaledObject with the fields these manifests use, so the strict loader rejects a misspelled one; the full
/// schema check is eng/k8s-validate (KEDA's own CRD schema).
/// </summary>
public sealed class ScaledObject : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public ScaledObjectSpec Spec { get; set; } = new();
}
