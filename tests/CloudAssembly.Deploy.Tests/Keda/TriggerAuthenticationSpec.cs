using System.Text.Json.Serialization;

namespace CloudAssembly.Deploy.Tests.Keda;

public sealed class TriggerAuthenticationSpec
{
    [JsonPropertyName("secretTargetRef")] public List<SecretTargetRef> SecretTargetRef { get; set; } = [];
}
