using System.Buffers;
using CloudAssembly.Data.Images;
using CloudAssembly.Data.Loading;
using CloudAssembly.Storage;

namespace CloudAssembly.Data.Shards;

/// <summary>
/// One split of a dataset version as a stream of samples per epoch. Every replica walks the same global sequence —
/// shards in the epoch's order, through the epoch's shuffle buffer, each sample repeated — and keeps the positions
/// <c>rank, rank + replicas, ...</c>, which is DeiT's RASampler striding: the copies of a sample go to different
/// replicas in the same global step, or on one replica to the same batch. Shards come through the
/// <see cref="ShardCache"/>, the next one downloading while this one is read; only tar headers are read here, and
/// each image's bytes are read by the thread that decodes it.
/// </summary>
public sealed class ShardSampleSource : ISampleSource
{
    private const long ShardOrderKey = 0x5AA4D0;
    private const long BufferKey = 0xB0FFE4;

    private readonly IBlobStore store;
    private readonly DatasetIndex index;
    private readonly ShardCache cache;
    private readonly ShardStreamOptions options;
    private readonly IReadOnlyList<ShardEntry> shards;
    private readonly int[] firstSample;

    public ShardSampleSource(IBlobStore store, DatasetIndex index, string split, ShardCache cache, ShardStreamOptions options)
    {
        options.Validate();
        this.store = store;
        this.index = index;
        this.cache = cache;
        this.options = options;
        shards = index.ShardsOf(split);
        if (shards.Count == 0)
            throw new InvalidDataException($"Dataset {index.Name}/{index.Version} has no '{split}' split (it has {string.Join(", ", index.Splits)}).");
        firstSample = new int[shards.Count];
        for (var s = 1; s < shards.Count; s++)
            firstSample[s] = firstSample[s - 1] + shards[s - 1].Samples;
        var total = index.Count(split);
        Count = options.Limit > 0 ? Math.Min(options.Limit, total) : total;
        EpochLength = options.Repeats > 1
            ? (int)Math.Floor(Count / 256 * 256 / (double)options.Replicas)
            : (Count + options.Replicas - 1) / options.Replicas;
        Source = $"{index.Name}/{index.Version} {split} in {store.Location}";
    }

    public string Source { get; }

    public int Count { get; }

    public IReadOnlyList<string> Classes => index.Classes;

    public int EpochLength { get; }

    public ShardCache Cache => cache;

    /// <summary>The order in which this epoch reads the shards (indices into the split's shard list).</summary>
    public IReadOnlyList<int> ShardOrder(int epoch)
    {
        var order = Enumerable.Range(0, shards.Count).Where(s => firstSample[s] < Count).ToArray();
        if (options.Shuffle)
            SampleRandom.For(options.Seed, epoch, ShardOrderKey).Shuffle(order);
        return order;
    }

    public IEnumerable<RawSample> Epoch(int epoch, CancellationToken cancellation = default)
    {
        var (repeats, replicas) = (options.Repeats, options.Replicas);
        var head = new List<RawSample>(replicas);
        long position = options.Rank;
        var emitted = 0;
        var unique = 0;
        foreach (var sample in Shuffled(epoch, cancellation))
        {
            if (head.Count < replicas)
                head.Add(sample);
            for (; emitted < EpochLength && position / repeats == unique; emitted++, position += replicas)
                yield return sample;
            unique++;
            if (emitted == EpochLength)
                yield break;
        }
        // DistributedSampler pads the last round with samples from the start of the epoch.
        for (; emitted < EpochLength; emitted++, position += replicas)
            yield return head[(int)(position / repeats % Count)];
    }

    private IEnumerable<RawSample> Shuffled(int epoch, CancellationToken cancellation)
    {
        if (!options.Shuffle)
        {
            foreach (var sample in InShardOrder(epoch, cancellation))
                yield return sample;
            yield break;
        }
        var random = SampleRandom.For(options.Seed, epoch, BufferKey);
        var buffer = new List<RawSample>(Math.Min(options.ShuffleBuffer, Count));
        foreach (var sample in InShardOrder(epoch, cancellation))
        {
            if (buffer.Count < options.ShuffleBuffer)
            {
                buffer.Add(sample);
                continue;
            }
            var pick = random.NextInt(0, buffer.Count);
            yield return buffer[pick];
            buffer[pick] = sample;
        }
        random.Shuffle(buffer);
        foreach (var sample in buffer)
            yield return sample;
    }

    /// <summary>
    /// Shards stay held in the cache while the shuffle buffer is likely to still hold their samples: the current one,
    /// the one downloading, and as many before them as the buffer spans. A sample that outlives its shard's hold and
    /// finds it evicted fetches it again (<see cref="DecodeAgain"/>), so a dataset larger than the cache streams through
    /// it, and every epoch's bytes stay the same.
    /// </summary>
    private IEnumerable<RawSample> InShardOrder(int epoch, CancellationToken cancellation)
    {
        var order = ShardOrder(epoch);
        var held = new Queue<CachedShard>();
        var next = order.Count > 0 ? Fetch(order[0], cancellation) : null;
        try
        {
            for (var i = 0; i < order.Count; i++)
            {
                var s = order[i];
                var shardFile = next!.GetAwaiter().GetResult();
                held.Enqueue(shardFile);
                while (held.Count > HeldShards)
                    held.Dequeue().Dispose();
                next = i + 1 < order.Count ? Fetch(order[i + 1], cancellation) : null;
                var path = shardFile.Path;
                var shard = shards[s];
                var blob = index.BlobOf(shard);
                var members = ShardReader.Read(path, blob, index.Classes.Count);
                if (members.Count != shard.Samples)
                    throw new InvalidDataException($"Shard '{blob}' holds {members.Count} samples but its index.json says {shard.Samples}.");
                for (var k = 0; k < members.Count && firstSample[s] + k < Count; k++)
                {
                    cancellation.ThrowIfCancellationRequested();
                    var member = members[k];
                    yield return new RawSample(firstSample[s] + k, member.Label,
                        channels => DecodeAgain(s, path, member, $"{blob}#{member.Key}.{member.Extension}", channels));
                }
            }
        }
        finally
        {
            foreach (var shardFile in held)
                shardFile.Dispose();
            // A download still under way when the epoch stops early is released once it lands.
            next?.ContinueWith(t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }
    }

    /// <summary>Shards held behind the one being read: enough, at the split's average shard, to cover the shuffle buffer, whose samples come from the latest shards.</summary>
    private int HeldShards => options.Shuffle ? 1 + (int)Math.Ceiling(options.ShuffleBuffer * (double)shards.Count / Math.Max(1, shards.Sum(s => s.Samples))) : 1;

    /// <summary>Decodes a sample; when its shard was evicted after this source let it go, the shard is fetched again first.</summary>
    private RgbImage DecodeAgain(int shard, string path, ShardMember member, string name, int channels)
    {
        try
        {
            return Decode(path, member, name, channels);
        }
        catch (IOException)
        {
            // Gone, or being evicted at this moment (the evictor's exclusive lock refuses this open).
            using var again = Fetch(shard, CancellationToken.None).GetAwaiter().GetResult();
            return Decode(again.Path, member, name, channels);
        }
    }

    private Task<CachedShard> Fetch(int shard, CancellationToken cancellation) =>
        Task.Run(() => cache.GetAsync(store, index.BlobOf(shards[shard]), shards[shard], cancellation), cancellation);

    private static RgbImage Decode(string path, ShardMember member, string name, int channels)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(member.Length);
        try
        {
            using (var file = File.OpenHandle(path))
            {
                var read = 0;
                while (read < member.Length)
                {
                    var n = RandomAccess.Read(file, buffer.AsSpan(read, member.Length - read), member.Offset + read);
                    if (n == 0)
                        throw new CorruptImageException(name, "the cached shard ends before the image does");
                    read += n;
                }
            }
            return ImageDecoder.Decode(buffer.AsSpan(0, member.Length), channels, name);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
