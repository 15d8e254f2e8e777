using System.Text.Json.Serialization;

namespace CloudAssembly.Deploy.Tests.Keda;

public sealed class SecretTargetRef
{
    [JsonPropertyName("parameter")] public string Parameter { get; set; } = "";
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("key")] public string Key { get; set; } = "";
}
