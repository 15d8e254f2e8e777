using System.Text.Json.Serialization;

namespace CloudAssembly.Deploy.Tests.Keda;

public sealed class ScaleTarget
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
}
