using System.Text.Json.Serialization;

namespace CloudAssembly.Deploy.Tests.Keda;

public sealed class ScaledObjectAdvanced
{
    [JsonPropertyName("horizontalPodAutoscalerConfig")] public HorizontalPodAutoscalerConfig? HorizontalPodAutoscalerConfig { get; set; }
}
