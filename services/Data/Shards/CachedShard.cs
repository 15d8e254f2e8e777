namespace CloudAssembly.Data.Shards;

/// <summary>
/// A shard in the <see cref="ShardCache"/>, held in use until disposed: the open handle carries a shared lock, and
/// eviction (which needs the exclusive one) passes the file by, in this process or any other sharing the folder.
/// </summary>
public sealed class CachedShard(string path, FileStream hold) : IDisposable
{
    public string Path { get; } = path;

    public void Dispose() => hold.Dispose();
}
