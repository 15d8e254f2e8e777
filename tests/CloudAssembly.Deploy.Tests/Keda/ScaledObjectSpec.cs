using System.Text.Json.Serialization;

namespace CloudAssembly.Deploy.Tests.Keda;

public sealed class ScaledObjectSpec
{
    [JsonPropertyName("scaleTargetRef")] public ScaleTarget ScaleTargetRef { get; set; } = new();
    [JsonPropertyName("minReplicaCount")] public int? MinReplicaCount { get; set; }
    [JsonPropertyName("maxReplicaCount")] public int? MaxReplicaCount { get; set; }
    [JsonPropertyName("pollingInterval")] public int? PollingInterval { get; set; }
    [JsonPropertyName("cooldownPeriod")] public int? CooldownPeriod { get; set; }
    [JsonPropertyName("advanced")] public ScaledObjectAdvanced? Advanced { get; set; }
    [JsonPropertyName("triggers")] public List<ScaleTrigger> Triggers { get; set; } = [];
}
