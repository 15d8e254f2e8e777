using System.Security.Cryptography;
using System.Text;
using CloudAssembly.Storage;
using static CloudAssembly.Storage.Tests.CasCounter;

namespace CloudAssembly.Storage.Tests;

/// <summary>What every <see cref="IBlobStore"/> must do; one subclass per backend runs it against the real thing.</summary>
public abstract class BlobStoreContract : IDisposable
{
    // Tests of one class share a container (Azure) and run one after another; a prefix per test keeps them apart.
    private readonly string _prefix = $"t{Guid.NewGuid():N}/";
    private readonly string _scratch = Directory.CreateTempSubdirectory("storage-contract-").FullName;
    private IBlobStore? _store;

    protected abstract IBlobStore CreateStore(BlobTransferOptions? transfer = null);

    protected IBlobStore Store => _store ??= CreateStore();

    protected string Name(string rest) => _prefix + rest;

    protected string ScratchPath(string file) => Path.Combine(_scratch, file);

    public virtual void Dispose()
    {
        Directory.Delete(_scratch, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Create_only_twice_fails_the_second_time_and_keeps_the_first_content()
    {
        var name = Name("runs/1/final/manifest.json");
        var etag = await Store.PutIfAbsentAsync(name, Text("first"));

        var error = await Assert.ThrowsAsync<BlobAlreadyExistsException>(() => Store.PutIfAbsentAsync(name, Text("second")));

        Assert.Equal(name, error.BlobName);
        Assert.Contains(name, error.Message);
        Assert.Equal(("first", etag), await ReadTextAsync(name));
    }

    [Fact]
    public async Task Create_only_from_a_file_twice_fails_the_second_time()
    {
        var name = Name("attempts/a/model.bin");
        var file = ScratchPath("model.bin");
        await File.WriteAllTextAsync(file, "weights");
        await Store.PutIfAbsentAsync(name, file);

        await Assert.ThrowsAsync<BlobAlreadyExistsException>(() => Store.PutIfAbsentAsync(name, file));
        await Assert.ThrowsAsync<BlobAlreadyExistsException>(() => Store.UploadFileAsync(name, file, createOnly: true));
    }

    [Fact]
    public async Task Compare_and_swap_with_a_stale_etag_fails_and_with_the_current_one_succeeds()
    {
        var name = Name("runs/1/run.json");
        var stale = await Store.PutAsync(name, Text("v1"));
        var current = await Store.PutAsync(name, Text("v2"));
        Assert.NotEqual(stale, current);

        var error = await Assert.ThrowsAsync<BlobConditionFailedException>(() => Store.PutIfMatchAsync(name, Text("from stale"), stale));
        Assert.Contains(name, error.Message);
        Assert.Equal(("v2", current), await ReadTextAsync(name));

        var next = await Store.PutIfMatchAsync(name, Text("v3"), current);
        Assert.Equal(("v3", next), await ReadTextAsync(name));
    }

    [Fact]
    public async Task Compare_and_swap_on_a_missing_blob_fails()
    {
        var name = Name("runs/1/LATEST");
        var etag = await Store.PutAsync(name, Text("x"));
        await Store.DeleteAsync(name);

        await Assert.ThrowsAsync<BlobConditionFailedException>(() => Store.PutIfMatchAsync(name, Text("y"), etag));
        Assert.Null(await Store.TryGetPropertiesAsync(name));
    }

    [Fact]
    public async Task Every_write_of_the_same_size_moves_the_etag()
    {
        var name = Name("pointer");
        var seen = new HashSet<string>();
        for (var i = 0; i < 20; i++) Assert.True(seen.Add(await Store.PutAsync(name, Text($"{i % 10}"))));
    }

    [Fact]
    public async Task Concurrent_compare_and_swap_increments_end_with_the_exact_count()
    {
        const int Writers = 6, Each = 10;
        var name = Name("counter");
        await Store.PutIfAbsentAsync(name, Text("0"));

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(() => IncrementAsync(CreateStore(), name, Each))));

        Assert.Equal(Writers * Each, (await ReadAsync(Store, name)).Value);
    }

    [Fact]
    public async Task Concurrent_create_only_writes_have_exactly_one_winner()
    {
        var name = Name("modules/003/final/manifest.json");
        var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await CreateStore().PutIfAbsentAsync(name, Text($"attempt {i}"));
                return i;
            }
            catch (BlobAlreadyExistsException)
            {
                return -1;
            }
        }));

        var winner = Assert.Single(await Task.WhenAll(attempts), i => i >= 0);
        Assert.Equal($"attempt {winner}", (await ReadTextAsync(name)).Text);
    }

    [Fact]
    public async Task Ranged_get_returns_exactly_the_requested_bytes_and_is_cut_at_the_end()
    {
        var name = Name("shards/shard-00000.tar");
        var bytes = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
        var etag = await Store.PutAsync(name, new MemoryStream(bytes));

        var middle = await ReadRangeAsync(name, 100, 250);
        var tail = await ReadRangeAsync(name, 900, 500);
        var beyond = await ReadRangeAsync(name, 1000, 10);

        Assert.Equal(bytes[100..350], middle.Bytes);
        Assert.Equal(etag, middle.ETag);
        Assert.Equal(bytes[900..], tail.Bytes);
        Assert.Empty(beyond.Bytes);
        Assert.Equal(etag, beyond.ETag);
    }

    [Fact]
    public async Task List_by_prefix_is_sorted_by_name_and_holds_only_finished_blobs()
    {
        string[] inside = ["runs/a/b", "runs/a/ckpt/2.pth", "runs/a1", "runs/a/ckpt/10.pth", "runs/a/.hidden"];
        foreach (var name in inside.Concat(["runs/b/x", "other"])) await Store.PutAsync(Name(name), Text(name));
        await Store.UploadFileAsync(Name("runs/a/big.bin"), await WriteRandomFileAsync("big.bin", 3 << 20), createOnly: true);

        var listed = await ListAsync(Name("runs/a"));

        string[] expected = [.. inside.Append("runs/a/big.bin").Select(Name).Order(StringComparer.Ordinal)];
        Assert.Equal(expected, listed.Select(b => b.Name));
        Assert.Equal(3 << 20, listed.Single(b => b.Name == Name("runs/a/big.bin")).Size);
        foreach (var blob in listed) Assert.Equal((await Store.TryGetPropertiesAsync(blob.Name))!.ETag, blob.ETag);
        Assert.Equal(expected.Where(n => n.StartsWith(Name("runs/a/"), StringComparison.Ordinal)), (await ListAsync(Name("runs/a/"))).Select(b => b.Name));
        Assert.Empty(await ListAsync(Name("nothing/here")));
    }

    [Fact]
    public async Task Delete_is_idempotent()
    {
        var name = Name("scratch/tmp.bin");
        await Store.PutAsync(name, Text("x"));

        await Store.DeleteAsync(name);
        await Store.DeleteAsync(name);
        await Store.DeleteAsync(Name("never/existed"));

        Assert.Null(await Store.TryGetPropertiesAsync(name));
        await Store.PutIfAbsentAsync(name, Text("again"));
    }

    [Fact]
    public async Task Properties_describe_the_blob_and_are_null_when_it_is_missing()
    {
        var name = Name("meta.json");
        var etag = await Store.PutAsync(name, Text("12345"));

        var properties = await Store.TryGetPropertiesAsync(name);

        Assert.NotNull(properties);
        Assert.Equal((name, 5L, etag), (properties.Name, properties.Size, properties.ETag));
        Assert.InRange(properties.LastModified, DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(10));
        Assert.Null(await Store.TryGetPropertiesAsync(Name("missing.json")));
    }

    [Fact]
    public async Task Large_file_round_trip_in_parallel_blocks_keeps_every_byte()
    {
        // 40 MB in 4 MiB blocks, 4 at a time: many blocks in flight, and a last one that is not full.
        var store = CreateStore(new BlobTransferOptions(BlockSize: 4 << 20, Concurrency: 4));
        var name = Name("runs/1/PT/checkpoint-3.pth");
        var source = await WriteRandomFileAsync("checkpoint.pth", 40_000_000);
        var target = ScratchPath("download/checkpoint.pth");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await File.WriteAllTextAsync(target, "an older download that must be replaced");

        var etag = await store.UploadFileAsync(name, source, createOnly: true);
        var downloaded = await store.DownloadFileAsync(name, target);

        Assert.Equal((etag, 40_000_000L), (downloaded.ETag, downloaded.Size));
        Assert.Equal(await HashAsync(source), await HashAsync(target));
        Assert.Equal(["checkpoint.pth"], Directory.GetFiles(Path.GetDirectoryName(target)!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_missing_blob_gives_BlobNotFoundException_naming_the_blob()
    {
        var name = Name("runs/404/run.json");

        var get = await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.GetAsync(name));
        var range = await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.GetRangeAsync(name, 0, 10));
        var download = await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.DownloadFileAsync(name, ScratchPath("run.json")));

        foreach (var error in new[] { get, range, download })
        {
            Assert.Equal(name, error.BlobName);
            Assert.Contains($"'{name}'", error.Message);
        }
        Assert.False(File.Exists(ScratchPath("run.json")));
    }

    [Fact]
    public async Task Names_are_checked_the_same_way_by_every_backend()
    {
        foreach (var bad in new[] { "", "/lead", "trail/", "a//b", "a/../b", "a\\b", ".~tmp/x" })
            await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(bad, Text("x")));
    }

    private async Task<(string Text, string ETag)> ReadTextAsync(string name)
    {
        await using var blob = await Store.GetAsync(name);
        using var reader = new StreamReader(blob.Content, Encoding.UTF8);
        return (await reader.ReadToEndAsync(), blob.ETag);
    }

    private async Task<(byte[] Bytes, string ETag)> ReadRangeAsync(string name, long offset, long length)
    {
        await using var blob = await Store.GetRangeAsync(name, offset, length);
        using var copy = new MemoryStream();
        await blob.Content.CopyToAsync(copy);
        Assert.Equal(copy.Length, blob.Length);
        return (copy.ToArray(), blob.ETag);
    }

    private async Task<List<BlobInfo>> ListAsync(string prefix)
    {
        var list = new List<BlobInfo>();
        await foreach (var blob in Store.ListAsync(prefix)) list.Add(blob);
        return list;
    }

    private async Task<string> WriteRandomFileAsync(string file, int size)
    {
        var path = ScratchPath(file);
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }

    private static async Task<string> HashAsync(string path)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexString(await SHA256.HashDataAsync(file));
    }
}
