using CloudAssembly.Storage;

namespace CloudAssembly.Orchestration.Messaging;

/// <summary>
/// Where a cluster keeps its blobs: a connection (an Azure Storage connection string, <c>UseDevelopmentStorage=true</c>
/// for Azurite, or a folder) and a container (a sub-folder for a folder store).
/// </summary>
public sealed record BlobLocation(string Connection, string Container = "cloudassembly")
{
    public IBlobStore Open() => BlobStores.Open(Connection, Container);

    /// <summary>The folder of a folder store as <c>BlobStores.Open</c> takes it, or null for Azure.</summary>
    public string? Folder => Open() is FolderBlobStore ? Connection : null;
}
