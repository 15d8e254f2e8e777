using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace CloudAssembly.Deploy.Tests.Kueue;

/// <summary>Kueue's ResourceFlavor with the fields these manifests use, so the strict loader rejects a misspelled one; the full schema check is eng/k8s-validate (Kueue's own CRD schema).</summary>
public sealed class ResourceFlavor : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public ResourceFlavorSpec Spec { get; set; } = new();
}
