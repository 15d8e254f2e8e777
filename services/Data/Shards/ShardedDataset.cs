using CloudAssembly.Storage;

namespace CloudAssembly.Data.Shards;

/// <summary>A committed dataset version opened for reading: its store, its index, and the local cache its shards go through.</summary>
public sealed class ShardedDataset(IBlobStore store, DatasetIndex index, ShardCache cache)
{
    public IBlobStore Store { get; } = store;

    public DatasetIndex Index { get; } = index;

    public ShardCache Cache { get; } = cache;

    public ShardSampleSource Open(string split, ShardStreamOptions options) => new(Store, Index, split, Cache, options);

    public static async Task<ShardedDataset> OpenAsync(IBlobStore store, string name, string version, ShardCache? cache = null,
        CancellationToken cancellationToken = default) =>
        new(store, await DatasetIndex.LoadAsync(store, name, version, cancellationToken), cache ?? ShardCache.FromEnvironment());

    /// <summary>Opens the version a SHARDS <c>--data-path</c> names (see <see cref="DatasetLocation"/>).</summary>
    public static ShardedDataset Open(string dataPath, ShardCache? cache = null)
    {
        var location = DatasetLocation.Parse(dataPath);
        var store = location.OpenStore();
        // Off the caller's thread, so a single-threaded synchronization context cannot deadlock the wait.
        return Task.Run(() => OpenAsync(store, location.Name, location.Version, cache)).GetAwaiter().GetResult();
    }
}
