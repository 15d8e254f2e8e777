using System.Text.Json.Serialization;

namespace CloudAssembly.Deploy.Tests.Kueue;

public sealed class LocalQueueSpec
{
    [JsonPropertyName("clusterQueue")] public string ClusterQueue { get; set; } = "";
}
