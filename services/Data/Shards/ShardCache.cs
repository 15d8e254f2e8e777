using CloudAssembly.Storage;

namespace CloudAssembly.Data.Shards;

/// <summary>
/// Local copies of shards, named by their sha256 (<c>{folder}/shards/{sha256}.tar</c>), so every epoch and every run
/// on this machine reads a shard from local disk after one download, whichever dataset version lists it. A download
/// goes through the store's parallel <see cref="IBlobStore.DownloadFileAsync"/> into a <c>.part</c> file (deleted on
/// success and failure alike) and is checked against the index before it takes its name, so a file there is always
/// whole and right. The folder holds at most <see cref="MaxBytes"/>: before a download, the least recently used shards
/// that nobody holds (<see cref="CachedShard"/>) are deleted until the new one fits; when the shards in use alone leave
/// no room, the download is refused with an error saying so rather than overfilling the disk.
/// </summary>
public sealed class ShardCache(string folder, long maxBytes = long.MaxValue)
{
    /// <summary>Overrides <see cref="DefaultFolder"/>.</summary>
    public const string FolderVariable = "CLOUDASSEMBLY_CACHE";

    /// <summary>A <c>.part</c> file not written for this long is left over from a process that died mid-download.</summary>
    private static readonly TimeSpan StalePart = TimeSpan.FromHours(1);

    private static readonly Lock Evicting = new();

    /// <summary>Bytes this process's downloads under way will take, per folder.</summary>
    private static readonly Dictionary<string, long> Reserved = [];

    private int downloads;
    private int hits;
    private int evictions;

    public string Folder { get; } = Path.GetFullPath(folder);

    public long MaxBytes { get; } = maxBytes > 0 ? maxBytes : throw new ArgumentException($"The shard cache's bound must be positive, got {maxBytes}.");

    /// <summary>$CLOUDASSEMBLY_CACHE, else $XDG_CACHE_HOME/cloudassembly, else ~/.cache/cloudassembly.</summary>
    public static string DefaultFolder =>
        Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } configured ? configured
        : Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? Path.Combine(xdg, "cloudassembly")
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "cloudassembly");

    /// <summary>The cache the environment configures: <see cref="DefaultFolder"/> (or <paramref name="folder"/>) bounded by <see cref="CacheBound"/>.</summary>
    public static ShardCache FromEnvironment(string? folder = null) => new(folder ?? DefaultFolder, CacheBound.FromEnvironment());

    /// <summary>Shards fetched from a store so far.</summary>
    public int Downloads => Volatile.Read(ref downloads);

    /// <summary>Shards found already here.</summary>
    public int Hits => Volatile.Read(ref hits);

    /// <summary>Shards deleted to keep the folder within <see cref="MaxBytes"/>.</summary>
    public int Evictions => Volatile.Read(ref evictions);

    private string Shards => Path.Combine(Folder, "shards");

    /// <summary>The shard held in use here, downloading and checking it first when it is not here yet.</summary>
    public async Task<CachedShard> GetAsync(IBlobStore store, string blob, ShardEntry shard, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(Shards, $"{shard.Sha256}.tar");
        if (TryHold(path, shard.Bytes) is { } cached)
        {
            // The file's time is its last use: eviction goes oldest first.
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
            Interlocked.Increment(ref hits);
            return cached;
        }
        Directory.CreateDirectory(Shards);
        // The .part name carries the process id: this process counts its own downloads by what they will take.
        var part = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.part";
        try
        {
            using (Reserve(shard.Bytes))
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
            }
            Interlocked.Increment(ref downloads);
            return TryHold(path, shard.Bytes) ?? throw new IOException($"Shard '{blob}' vanished from the cache {Folder} as soon as it was downloaded.");
        }
        finally
        {
            File.Delete(part);
        }
    }

    /// <summary>The shard held, or null when it is not here whole (or is being evicted this moment: the evictor's exclusive lock refuses the open).</summary>
    private static CachedShard? TryHold(string path, long bytes)
    {
        try
        {
            var hold = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
            if (hold.Length == bytes)
                return new CachedShard(path, hold);
            hold.Dispose();
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// Makes room for <paramref name="incoming"/> more bytes and reserves them until the download is in place. The
    /// folder's use is its shards, other processes' downloads as far as they got, and this process's reservations
    /// (its own downloads will take their full size); least recently used shards nobody holds go until it fits.
    /// </summary>
    private IDisposable Reserve(long incoming)
    {
        lock (Evicting)
        {
            var files = Files();
            foreach (var stale in files.Where(f => f.Name.EndsWith(".part", StringComparison.Ordinal) && DateTime.UtcNow - f.Written > StalePart))
                File.Delete(stale.Path);
            var mine = $".{Environment.ProcessId}.";
            var used = files.Where(f => !(f.Name.EndsWith(".part", StringComparison.Ordinal) && f.Name.Contains(mine, StringComparison.Ordinal))).Sum(f => f.Bytes)
                + Reserved.GetValueOrDefault(Folder);
            foreach (var file in files.Where(f => f.Name.EndsWith(".tar", StringComparison.Ordinal)).OrderBy(f => f.Written))
            {
                if (incoming <= MaxBytes - used)
                    break;
                if (TryEvict(file.Path))
                {
                    used -= file.Bytes;
                    Interlocked.Increment(ref evictions);
                }
            }
            if (incoming > MaxBytes - used)
                throw new IOException($"The shard cache {Folder} is bounded at {MaxBytes} bytes ({CacheBound.Variable}), and with the shards in use there it " +
                    $"holds {used}, leaving no room for a {incoming}-byte shard: raise the bound (within the disk) or read fewer datasets at once here.");
            Reserved[Folder] = Reserved.GetValueOrDefault(Folder) + incoming;
            return new Reservation(() =>
            {
                lock (Evicting)
                    Reserved[Folder] -= incoming;
            });
        }
    }

    /// <summary>The folder's files as they are now; one deleted or renamed by another download meanwhile is left out.</summary>
    private List<(string Path, string Name, long Bytes, DateTime Written)> Files()
    {
        var files = new List<(string, string, long, DateTime)>();
        foreach (var path in Directory.EnumerateFiles(Shards))
        {
            try
            {
                var info = new FileInfo(path);
                files.Add((path, info.Name, info.Length, info.LastWriteTimeUtc));
            }
            catch (FileNotFoundException)
            {
            }
        }
        return files;
    }

    private sealed class Reservation(Action release) : IDisposable
    {
        public void Dispose() => release();
    }

    /// <summary>Only with the exclusive lock, which no holder's shared lock allows, is a shard deleted.</summary>
    private static bool TryEvict(string path)
    {
        try
        {
            using var exclusive = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
