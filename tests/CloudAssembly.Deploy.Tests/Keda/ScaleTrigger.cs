using System.Text.Json.Serialization;

namespace CloudAssembly.Deploy.Tests.Keda;

public sealed class ScaleTrigger
{
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("metadata")] public Dictionary<string, string> Metadata { get; set; } = [];
    [JsonPropertyName("authenticationRef")] public AuthenticationRef? AuthenticationRef { get; set; }
}
