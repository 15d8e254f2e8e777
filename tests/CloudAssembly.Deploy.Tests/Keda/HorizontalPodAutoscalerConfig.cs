using System.Text.Json.Serialization;
using k8s.Models;

namespace CloudAssembly.Deploy.Tests.Keda;

public sealed class HorizontalPodAutoscalerConfig
{
    [JsonPropertyName("behavior")] public V2HorizontalPodAutoscalerBehavior? Behavior { get; set; }
}
