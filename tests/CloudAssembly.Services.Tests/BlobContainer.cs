using CloudAssembly.Storage;

namespace CloudAssembly.Services.Tests;

/// <summary>A fresh container in the real Azurite that eng/services-up.sh starts (or in BLOB_CONNECTION's account).</summary>
public sealed class BlobContainer
{
    public static string Connection => Environment.GetEnvironmentVariable("BLOB_CONNECTION") ?? "UseDevelopmentStorage=true";

    public string Name { get; } = $"test-{Guid.NewGuid():N}"[..24];

    public IBlobStore Open() => BlobStores.Open(Connection, Name);
}
