using System.Diagnostics;
using System.Security.Cryptography;

namespace CloudAssembly.Storage;

/// <summary>
/// Uploads, then downloads, a file of random bytes through a store's parallel file methods and times each direction.
/// The default 350 MB is about a ViT-B checkpoint with its optimizer state.
/// </summary>
public sealed class StorageBenchmark(IBlobStore store)
{
    private const int Megabyte = 1 << 20;

    public async Task<StorageBenchmarkResult> RunAsync(int megabytes = 350, string? workFolder = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(megabytes);
        var folder = workFolder ?? Path.GetTempPath();
        var id = Guid.NewGuid().ToString("N");
        var source = Path.Combine(folder, $"cloudassembly-bench-{id}.bin");
        var copy = Path.Combine(folder, $"cloudassembly-bench-{id}.copy");
        var blob = $"bench/{id}.bin";
        try
        {
            var sourceHash = await WriteRandomFileAsync(source, megabytes, cancellationToken);

            var clock = Stopwatch.StartNew();
            await store.UploadFileAsync(blob, source, createOnly: true, cancellationToken);
            var upload = clock.Elapsed;

            clock.Restart();
            await store.DownloadFileAsync(blob, copy, cancellationToken);
            var download = clock.Elapsed;

            var copyHash = await HashFileAsync(copy, cancellationToken);
            if (!sourceHash.AsSpan().SequenceEqual(copyHash))
                throw new InvalidDataException($"The benchmark file came back from {store.Location} with different bytes.");
            return new StorageBenchmarkResult(store.Location, megabytes, upload, download);
        }
        finally
        {
            await store.DeleteAsync(blob, CancellationToken.None);
            File.Delete(source);
            File.Delete(copy);
        }
    }

    private static async Task<byte[]> WriteRandomFileAsync(string path, int megabytes, CancellationToken cancellationToken)
    {
        // Random bytes, so no layer underneath can win by compressing or deduplicating.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[Megabyte];
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: Megabyte);
        for (var i = 0; i < megabytes; i++)
        {
            Random.Shared.NextBytes(chunk);
            hash.AppendData(chunk);
            await file.WriteAsync(chunk, cancellationToken);
        }
        return hash.GetHashAndReset();
    }

    private static async Task<byte[]> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: Megabyte);
        return await SHA256.HashDataAsync(file, cancellationToken);
    }
}
