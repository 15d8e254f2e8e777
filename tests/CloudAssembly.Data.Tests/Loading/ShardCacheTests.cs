using CloudAssembly.Data.Shards;
using CloudAssembly.Data.Tests.Shards;

namespace CloudAssembly.Data.Tests.Loading;

/// <summary>The shard cache's bound: least recently used shards go first, shards in use never, and a hit downloads nothing.</summary>
public class ShardCacheTests(DigitShards digits) : IClassFixture<DigitShards>
{
    private ShardEntry Shard(int i) => digits.Index.ShardsOf("train")[i];

    private Task<CachedShard> GetAsync(ShardCache cache, int i) => cache.GetAsync(digits.Store, digits.Index.BlobOf(Shard(i)), Shard(i));

    private static long FolderBytes(ShardCache cache) => new DirectoryInfo(Path.Combine(cache.Folder, "shards")).GetFiles().Sum(f => f.Length);

    private static bool Cached(ShardCache cache, ShardEntry shard) => File.Exists(Path.Combine(cache.Folder, "shards", $"{shard.Sha256}.tar"));

    [Fact]
    public async Task Eviction_keeps_the_folder_within_its_bound_and_drops_the_least_recently_used_shard()
    {
        var bound = Shard(0).Bytes + Shard(1).Bytes + Shard(2).Bytes - 1;
        var cache = new ShardCache(TestSources.TempFolder("cache"), bound);
        (await GetAsync(cache, 0)).Dispose();
        (await GetAsync(cache, 1)).Dispose();
        // A hit is a use: shard 0 is now more recent than shard 1, and nothing is downloaded for it.
        (await GetAsync(cache, 0)).Dispose();
        Assert.Equal((2, 1), (cache.Downloads, cache.Hits));

        (await GetAsync(cache, 2)).Dispose();

        Assert.Equal((3, 1), (cache.Downloads, cache.Evictions));
        Assert.True(Cached(cache, Shard(0)) && !Cached(cache, Shard(1)) && Cached(cache, Shard(2)));
        Assert.True(FolderBytes(cache) <= bound, $"{FolderBytes(cache)} bytes in a cache bounded at {bound}");
    }

    [Fact]
    public async Task A_shard_in_use_is_not_evicted_and_no_room_at_all_is_one_clear_error()
    {
        var bound = Shard(0).Bytes + Shard(1).Bytes + Shard(2).Bytes - 1;
        var cache = new ShardCache(TestSources.TempFolder("cache"), bound);
        using var held = await GetAsync(cache, 0);
        (await GetAsync(cache, 1)).Dispose();

        using var newest = await GetAsync(cache, 2);

        Assert.True(Cached(cache, Shard(0)), "the held shard, though least recently used, was evicted");
        Assert.False(Cached(cache, Shard(1)));
        Assert.True(FolderBytes(cache) <= bound);
        var error = await Assert.ThrowsAsync<IOException>(() => GetAsync(cache, 1));
        Assert.Contains($"is bounded at {bound} bytes (CLOUDASSEMBLY_CACHE_MAX_BYTES)", error.Message);
        Assert.True(Cached(cache, Shard(0)) && Cached(cache, Shard(2)));
    }

    [Fact]
    public void A_sample_whose_shard_was_evicted_after_its_reader_let_it_go_fetches_it_again_and_decodes_the_same()
    {
        var cache = new ShardCache(TestSources.TempFolder("cache"));
        var samples = digits.Open(ShardStreamOptions.Sequential, cache).Epoch(0).ToList();
        var before = samples.Select(s => s.Decode(1).Pixels).ToList();
        var shards = digits.Index.ShardsOf("train").Count;
        Assert.Equal(shards, cache.Downloads);

        // What another reader's eviction does once the epoch has let its shards go.
        foreach (var file in Directory.GetFiles(Path.Combine(cache.Folder, "shards")))
            File.Delete(file);

        Assert.Equal(before, samples.Select(s => s.Decode(1).Pixels));
        Assert.Equal(2 * shards, cache.Downloads);
    }

    [Fact]
    public void A_dataset_larger_than_the_bound_streams_through_it_epoch_after_epoch()
    {
        var train = digits.Index.ShardsOf("train");
        var bound = 8 * train.Max(s => s.Bytes);
        Assert.True(train.Sum(s => s.Bytes) > 2 * bound, "the test needs a dataset well beyond the bound");
        var cache = new ShardCache(TestSources.TempFolder("cache"), bound);
        var source = digits.Open(new ShardStreamOptions { Seed = 4, Repeats = 1, ShuffleBuffer = 16 }, cache);

        for (var epoch = 0; epoch < 2; epoch++)
        {
            var decoded = source.Epoch(epoch).Select(s => s.Decode(1)).Count();
            Assert.Equal(DigitShards.Train, decoded);
            Assert.True(FolderBytes(cache) <= bound, $"{FolderBytes(cache)} bytes in a cache bounded at {bound}");
        }
        Assert.True(cache.Evictions > 0);
    }

    [Fact]
    public async Task A_failed_download_leaves_no_temporary_file()
    {
        var cache = new ShardCache(TestSources.TempFolder("cache"));
        var wrong = Shard(0) with { Sha256 = new string('0', 64) };

        await Assert.ThrowsAsync<InvalidDataException>(() => cache.GetAsync(digits.Store, digits.Index.BlobOf(Shard(0)), wrong));

        Assert.Empty(Directory.GetFiles(Path.Combine(cache.Folder, "shards")));
    }

    [Fact]
    public void The_bound_takes_bytes_or_Kubernetes_binary_suffixes()
    {
        Assert.Equal(180L << 30, CacheBound.Parse("180Gi", "x"));
        Assert.Equal(4096, CacheBound.Parse("4Ki", "x"));
        Assert.Equal(12345, CacheBound.Parse("12345", "x"));
        Assert.Contains("is not a size", Assert.Throws<ArgumentException>(() => CacheBound.Parse("180GB", "CLOUDASSEMBLY_CACHE_MAX_BYTES")).Message);
        Assert.Throws<ArgumentException>(() => CacheBound.Parse("99999999Ti", "x"));
        Assert.Throws<ArgumentException>(() => CacheBound.Parse("0", "x"));
    }
}
