using CloudAssembly.Storage;

namespace CloudAssembly.Services.Tests;

/// <summary>A fresh container in the real Azurite that eng/services-up.sh starts (or in BLOB_CONNECTION's account), or in a test's private one.</summary>
public sealed class BlobContainer(string? connection = null)
{
    public static string Shared => Environment.GetEnvironmentVariable("BLOB_CONNECTION") ?? "UseDevelopmentStorage=true";

    public string Connection { get; } = connection ?? Shared;

    public string Name { get; } = $"test-{Guid.NewGuid():N}"[..24];

    public IBlobStore Open() => BlobStores.Open(Connection, Name);
}
