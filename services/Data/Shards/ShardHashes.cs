using System.Security.Cryptography;
using CloudAssembly.Storage;

namespace CloudAssembly.Data.Shards;

/// <summary>sha256 of shards, in a store or on disk, checked against what the index records.</summary>
public static class ShardHashes
{
    /// <summary>Streams the blob through sha256 (lowercase hex) without keeping it.</summary>
    public static async Task<string> OfBlobAsync(IBlobStore store, string blob, CancellationToken cancellationToken = default)
    {
        await using var content = await store.GetAsync(blob, cancellationToken);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(content.Content, cancellationToken));
    }

    public static async Task<string> OfFileAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }

    /// <summary>Hashes every shard of the version in the store; the first that differs from the index is an error naming it.</summary>
    public static async Task VerifyAsync(IBlobStore store, DatasetIndex index, IProgress<ShardEntry>? progress = null, CancellationToken cancellationToken = default)
    {
        foreach (var shard in index.Shards)
        {
            var blob = index.BlobOf(shard);
            string actual;
            try
            {
                actual = await OfBlobAsync(store, blob, cancellationToken);
            }
            catch (BlobNotFoundException)
            {
                throw new FileNotFoundException($"Shard '{blob}' listed in the index of {index.Name}/{index.Version} is missing from {store.Location}; restore it or rebuild the version.");
            }
            if (actual != shard.Sha256)
                throw Mismatch(blob, store.Location, actual, shard.Sha256);
            progress?.Report(shard);
        }
    }

    internal static InvalidDataException Mismatch(string blob, string location, string actual, string expected) =>
        new($"Shard '{blob}' in {location} has sha256 {actual[..16]}… but its index.json says {expected[..16]}…: the shard is damaged; restore it or rebuild the dataset version.");
}
