using System.Collections.Concurrent;

namespace CloudAssembly.Data.Loading;

/// <summary>What a loader had to skip: every undecodable sample, once, with the reason (naming the file or shard member).</summary>
public sealed class LoaderReport
{
    private readonly ConcurrentDictionary<int, string> corrupt = new();
    private long skipped;

    /// <summary>How many batch positions got another sample because their own image could not be decoded.</summary>
    public long Skipped => Interlocked.Read(ref skipped);

    /// <summary>Each corrupt sample's message (it names the file or shard member), in dataset index order.</summary>
    public IReadOnlyList<string> CorruptFiles => [.. corrupt.OrderBy(kv => kv.Key).Select(kv => kv.Value)];

    /// <summary>Returns true the first time this sample is reported.</summary>
    internal bool Record(int index, string message)
    {
        Interlocked.Increment(ref skipped);
        return corrupt.TryAdd(index, message);
    }
}
