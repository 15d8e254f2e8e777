using System.Text.Json.Serialization;
using k8s.Models;

namespace CloudAssembly.Deploy.Tests.Kueue;

public sealed class ResourceQuota
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("nominalQuota")] public ResourceQuantity NominalQuota { get; set; } = new("0");
}
