using CloudAssembly.Storage;

namespace CloudAssembly.Data.Shards;

/// <summary>
/// Local copies of shards, named by their sha256 (<c>{folder}/shards/{sha256}.tar</c>), so every epoch and every run
/// on this machine reads a shard from local disk after one download, whichever dataset version lists it. A download
/// goes through the store's parallel <see cref="IBlobStore.DownloadFileAsync"/> and is checked against the index
/// before it takes its name, so a file there is always whole and right. Nothing is evicted: delete the folder to
/// free the space.
/// </summary>
public sealed class ShardCache(string folder)
{
    /// <summary>Overrides <see cref="DefaultFolder"/>.</summary>
    public const string FolderVariable = "CLOUDASSEMBLY_CACHE";

    private int downloads;
    private int hits;

    public string Folder { get; } = Path.GetFullPath(folder);

    /// <summary>$CLOUDASSEMBLY_CACHE, else $XDG_CACHE_HOME/cloudassembly, else ~/.cache/cloudassembly.</summary>
    public static string DefaultFolder =>
        Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } configured ? configured
        : Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? Path.Combine(xdg, "cloudassembly")
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "cloudassembly");

    /// <summary>Shards fetched from a store so far.</summary>
    public int Downloads => Volatile.Read(ref downloads);

    /// <summary>Shards found already here.</summary>
    public int Hits => Volatile.Read(ref hits);

    /// <summary>The local path of the shard, downloading and checking it first when it is not here yet.</summary>
    public async Task<string> GetAsync(IBlobStore store, string blob, ShardEntry shard, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(Folder, "shards", $"{shard.Sha256}.tar");
        if (File.Exists(path) && new FileInfo(path).Length == shard.Bytes)
        {
            Interlocked.Increment(ref hits);
            return path;
        }
        var part = $"{path}.{Guid.NewGuid():N}.part";
        try
        {
            try
            {
                await store.DownloadFileAsync(blob, part, cancellationToken);
            }
            catch (BlobNotFoundException)
            {
                throw new FileNotFoundException($"Shard '{blob}' listed in its dataset's index is missing from {store.Location}; restore it or rebuild the version.");
            }
            var actual = await ShardHashes.OfFileAsync(part, cancellationToken);
            if (actual != shard.Sha256)
                throw ShardHashes.Mismatch(blob, store.Location, actual, shard.Sha256);
            // Two readers may fetch the same shard at once; both copies are the same bytes, so the last rename is as good as the first.
            File.Move(part, path, overwrite: true);
            Interlocked.Increment(ref downloads);
            return path;
        }
        finally
        {
            File.Delete(part);
        }
    }
}
