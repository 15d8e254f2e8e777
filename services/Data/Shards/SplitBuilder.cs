using CloudAssembly.Data.Images;
using CloudAssembly.Storage;

namespace CloudAssembly.Data.Shards;

/// <summary>One split: encode in parallel chunks, write in order, upload each finished shard while the next is encoded.</summary>
internal sealed class SplitBuilder(DatasetSource source, string split, int splitNumber, ShardPreprocessing preprocessing, ShardOptions options,
    IBlobStore store, string name, string version, string work, IProgress<BuildProgress>? progress)
{
    public List<ShardEntry> Shards { get; } = [];

    public List<SkippedImage> Skipped { get; } = [];

    public List<ShardOutcome> Outcomes { get; } = [];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var data = source.Split(split);
        var order = Enumerable.Range(0, data.Count).ToArray();
        SampleRandom.For(options.OrderSeed, splitNumber).Shuffle(order);
        var chunk = options.Workers * 16;
        var results = new EncodedImage?[chunk];
        var errors = new string?[chunk];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Workers, CancellationToken = cancellationToken };
        ShardWriter? writer = null;
        Task upload = Task.CompletedTask;
        var written = 0;
        try
        {
            for (var start = 0; start < order.Length; start += chunk)
            {
                var count = Math.Min(chunk, order.Length - start);
                Parallel.For(0, count, parallel, k =>
                {
                    var i = order[start + k];
                    try
                    {
                        (results[k], errors[k]) = (ShardEncoder.Encode(data, i, preprocessing, source.NameOf(split, i)), null);
                    }
                    catch (CorruptImageException e)
                    {
                        (results[k], errors[k]) = (null, e.Message);
                    }
                });
                for (var k = 0; k < count; k++)
                {
                    var i = order[start + k];
                    if (results[k] is not { } image)
                    {
                        Skipped.Add(new SkippedImage(split, source.NameOf(split, i), errors[k]!));
                        continue;
                    }
                    var label = data.Label(i);
                    if (writer is not null && writer.Bytes + ShardWriter.SizeOf(image, label) > options.ShardBytes)
                    {
                        upload = await CloseAsync(writer, upload, cancellationToken);
                        writer = null;
                    }
                    writer ??= new ShardWriter(Path.Combine(work, DatasetLayout.ShardName(split, Shards.Count)));
                    writer.Add(written++, image, label);
                }
                progress?.Report(new BuildProgress(split, start + count, order.Length, Shards.Count + (writer is null ? 0 : 1)));
            }
            if (writer is not null)
                upload = await CloseAsync(writer, upload, cancellationToken);
            writer = null;
            await upload;
        }
        finally
        {
            writer?.Dispose();
            // On failure or cancellation, let the upload in flight end before its file is deleted.
            await upload.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Finishes the shard and starts storing it once the previous one is stored, so one upload runs beside the encoding.</summary>
    private async Task<Task> CloseAsync(ShardWriter writer, Task previous, CancellationToken cancellationToken)
    {
        var (bytes, sha256) = writer.Finish();
        writer.Dispose();
        var shard = new ShardEntry(split, Path.GetFileName(writer.Path), writer.Samples, bytes, sha256);
        Shards.Add(shard);
        await previous;
        return StoreAsync(shard, writer.Path, cancellationToken);
    }

    private async Task StoreAsync(ShardEntry shard, string path, CancellationToken cancellationToken)
    {
        var blob = DatasetLayout.ShardBlob(name, version, shard.Name);
        try
        {
            if (await store.TryGetPropertiesAsync(blob, cancellationToken) is null)
            {
                try
                {
                    await store.UploadFileAsync(blob, path, createOnly: true, cancellationToken);
                    Outcomes.Add(ShardOutcome.Uploaded);
                    return;
                }
                catch (BlobAlreadyExistsException)
                {
                }
            }
            // Left by an earlier attempt: keep it if it is this very shard, replace it if it is damaged.
            if (await ShardHashes.OfBlobAsync(store, blob, cancellationToken) == shard.Sha256)
            {
                Outcomes.Add(ShardOutcome.Reused);
                return;
            }
            await store.UploadFileAsync(blob, path, createOnly: false, cancellationToken);
            Outcomes.Add(ShardOutcome.Replaced);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
