using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace CloudAssembly.Deploy.Tests.Keda;

/// <summary>KEDA's TriggerAuthentication with the fields these manifests use.</summary>
public sealed class TriggerAuthentication : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public TriggerAuthenticationSpec Spec { get; set; } = new();
}
