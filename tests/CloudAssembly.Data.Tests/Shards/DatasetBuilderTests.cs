using System.Security.Cryptography;
using CloudAssembly.Data.Images;
using CloudAssembly.Data.Shards;
using CloudAssembly.Storage;
using CloudAssembly.TestSupport;

namespace CloudAssembly.Data.Tests.Shards;

public class DatasetBuilderTests(AzuriteContainer azurite) : IClassFixture<AzuriteContainer>
{
    private static readonly string[] Classes = ["a_dog", "b_cat", "c_bird"];
    private static readonly ShardOptions SmallShards = new() { ShardBytes = 64 * 1024, Workers = 2 };

    private static Task<BuildReport> Build(string source, IBlobStore store, ShardOptions? options = null, string version = "v1",
        CancellationToken cancellation = default) =>
        DatasetBuilder.BuildAsync(DatasetSource.Open(source), store, "pets", version, options ?? SmallShards, null, cancellation);

    private static async Task AssertWellFormedAsync(IBlobStore store, BuildReport report)
    {
        var index = report.Index;
        Assert.Equal(Classes, index.Classes);
        Assert.Equal(36, index.Count("train"));
        Assert.Equal(9, index.Count("val"));
        Assert.True(index.ShardsOf("train").Count > 1, "the small shard size should give several train shards");
        Assert.Equal(index.ShardsOf("train").Select((_, n) => $"train-{n:00000}.tar"), index.ShardsOf("train").Select(s => s.Name));
        Assert.Equal("FOLDER", index.Source.Kind);
        Assert.StartsWith("sha256:", index.Source.Fingerprint);
        Assert.Equal(ShardPreprocessing.Original, index.Preprocessing.Encoding);
        var labels = new List<int>();
        foreach (var shard in index.Shards)
        {
            var bytes = await Blobs.ReadAsync(store, $"datasets/pets/v1/{shard.Name}");
            Assert.Equal(shard.Bytes, bytes.Length);
            Assert.Equal(shard.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
            var path = Path.Combine(TestSources.TempFolder("shard"), shard.Name);
            File.WriteAllBytes(path, bytes);
            var members = ShardReader.Read(path, shard.Name, Classes.Length);
            Assert.Equal(shard.Samples, members.Count);
            if (shard.Split == "train")
                labels.AddRange(members.Select(m => m.Label));
        }
        Assert.Equal([12, 12, 12], labels.GroupBy(l => l).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.Equal("datasets/pets/v1/index.json", DatasetLayout.IndexBlob("pets", "v1"));
        Assert.Equal(index.ToJson(), await Blobs.ReadAsync(store, "datasets/pets/v1/index.json"));
    }

    [Fact]
    public async Task Builds_webdataset_shards_and_an_index_into_a_folder_store()
    {
        var store = Blobs.FolderStore();
        var report = await Build(TestSources.ImageFolder(Classes), store);
        Assert.False(report.AlreadyExisted);
        Assert.Equal(report.Index.Shards.Count, report.Uploaded);
        await AssertWellFormedAsync(store, report);
    }

    [Fact]
    public async Task Builds_into_Azurite_and_the_version_streams_back()
    {
        var store = azurite.Store;
        var report = await Build(TestSources.ImageFolder(Classes), store);
        await AssertWellFormedAsync(store, report);
        var dataset = await ShardedDataset.OpenAsync(store, "pets", "v1", new ShardCache(TestSources.TempFolder("cache")));
        var val = dataset.Open("val", ShardStreamOptions.Sequential);
        var samples = val.Epoch(0).ToList();
        Assert.Equal(Enumerable.Range(0, 9), samples.Select(s => s.Index));
        Assert.Equal([3, 3, 3], samples.GroupBy(s => s.Label).Select(g => g.Count()));
        Assert.Equal(3, samples[0].Decode(3).Channels);
    }

    [Fact]
    public async Task The_same_source_gives_byte_identical_shards_whatever_the_thread_count()
    {
        var source = TestSources.ImageFolder(Classes);
        var (one, many) = (Blobs.FolderStore(), Blobs.FolderStore());
        var first = await Build(source, one, SmallShards with { Workers = 1 });
        var second = await Build(source, many, SmallShards with { Workers = 4 });
        Assert.Equal(first.Index.ToJson(), second.Index.ToJson());
        foreach (var shard in first.Index.Shards)
            Assert.Equal(await Blobs.ReadAsync(one, first.Index.BlobOf(shard)), await Blobs.ReadAsync(many, second.Index.BlobOf(shard)));
    }

    [Fact]
    public async Task A_second_build_of_a_committed_version_changes_nothing()
    {
        var source = TestSources.ImageFolder(Classes);
        var store = azurite.Store;
        await Build(source, store, version: "again");
        var before = await Blobs.ETagsAsync(store, "datasets/pets/again/");
        var again = await Build(source, store, version: "again");
        Assert.True(again.AlreadyExisted);
        Assert.Equal(0, again.Uploaded + again.Reused + again.Replaced);
        Assert.Equal(before, await Blobs.ETagsAsync(store, "datasets/pets/again/"));
    }

    [Fact]
    public async Task A_committed_version_refuses_to_be_rebuilt_from_a_changed_source()
    {
        var source = TestSources.ImageFolder(Classes);
        var store = Blobs.FolderStore();
        await Build(source, store);
        File.WriteAllBytes(Path.Combine(source, "train", "b_cat", "001.jpg"), TestSources.Encode(SkiaSharp.SKEncodedImageFormat.Jpeg, 50, 50, 7));
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Build(source, store));
        Assert.Contains("pets/v1 already exists", e.Message);
        Assert.Contains("new --version", e.Message);
    }

    [Fact]
    public async Task A_resumed_build_keeps_verified_shards_and_replaces_a_damaged_one()
    {
        var source = TestSources.ImageFolder(Classes);
        var store = Blobs.FolderStore();
        var first = await Build(source, store);
        // An interrupted build: shards stored, no index, and one shard damaged on the way.
        await store.DeleteAsync("datasets/pets/v1/index.json");
        var damaged = first.Index.BlobOf(first.Index.Shards[1]);
        await store.PutAsync(damaged, new MemoryStream(new byte[1234]));
        var before = await Blobs.ETagsAsync(store, "datasets/pets/v1/");

        var resumed = await Build(source, store);

        Assert.Equal((0, first.Index.Shards.Count - 1, 1), (resumed.Uploaded, resumed.Reused, resumed.Replaced));
        Assert.Equal(first.Index.ToJson(), resumed.Index.ToJson());
        var after = await Blobs.ETagsAsync(store, "datasets/pets/v1/");
        foreach (var shard in first.Index.Shards.Select(first.Index.BlobOf).Where(b => b != damaged))
            Assert.Equal(before[shard], after[shard]);
        Assert.Equal(first.Index.Shards[1].Sha256, await ShardHashes.OfBlobAsync(store, damaged));
    }

    [Fact]
    public async Task The_index_is_created_last_so_an_interrupted_build_is_no_dataset()
    {
        var source = TestSources.ImageFolder(Classes, perClass: 40);
        var store = Blobs.FolderStore();
        using var stop = new CancellationTokenSource();
        var progress = new Inline<BuildProgress>(p =>
        {
            if (p.Shards >= 3)
                stop.Cancel();
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            DatasetBuilder.BuildAsync(DatasetSource.Open(source), store, "pets", "v1", SmallShards with { Workers = 1 }, progress, stop.Token));
        Assert.Null(await store.TryGetPropertiesAsync("datasets/pets/v1/index.json"));
        Assert.NotEmpty(await Blobs.ETagsAsync(store, "datasets/pets/v1/train-"));
        var e = await Assert.ThrowsAsync<FileNotFoundException>(() => DatasetIndex.LoadAsync(store, "pets", "v1"));
        Assert.Contains("did not finish", e.Message);

        var finished = await Build(source, store);
        Assert.True(finished.Reused >= 1);
        var blobs = new List<BlobInfo>();
        await foreach (var blob in store.ListAsync("datasets/pets/v1/"))
            blobs.Add(blob);
        var index = blobs.Single(b => b.Name.EndsWith("index.json"));
        Assert.All(blobs, b => Assert.True(b.LastModified <= index.LastModified, $"{b.Name} was written after the index"));
    }

    [Fact]
    public async Task A_missing_index_is_a_clear_error()
    {
        var e = await Assert.ThrowsAsync<FileNotFoundException>(() => DatasetIndex.LoadAsync(Blobs.FolderStore(), "nothing", "v9"));
        Assert.Contains("Dataset nothing/v9 does not exist", e.Message);
        Assert.Contains("datasets/nothing/v9/index.json", e.Message);
    }

    [Fact]
    public async Task A_tampered_shard_fails_verification_naming_it()
    {
        var store = azurite.Store;
        var report = await Build(TestSources.ImageFolder(Classes), store, version: "tampered");
        var shard = report.Index.Shards[0];
        var bytes = await Blobs.ReadAsync(store, report.Index.BlobOf(shard));
        bytes[700] ^= 0xFF;
        await store.PutAsync(report.Index.BlobOf(shard), new MemoryStream(bytes));
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ShardHashes.VerifyAsync(store, report.Index));
        Assert.Contains("datasets/pets/tampered/train-00000.tar", e.Message);
        Assert.Contains("sha256", e.Message);
    }

    [Fact]
    public async Task A_corrupt_source_image_is_skipped_counted_and_named()
    {
        var source = TestSources.ImageFolder(Classes);
        File.WriteAllBytes(Path.Combine(source, "train", "a_dog", "004.jpg"), "not a jpeg at all"u8.ToArray());
        var jpeg = File.ReadAllBytes(Path.Combine(source, "train", "c_bird", "005.jpg"));
        File.WriteAllBytes(Path.Combine(source, "train", "c_bird", "005.jpg"), jpeg[..(jpeg.Length / 2)]);
        var report = await Build(source, Blobs.FolderStore());
        Assert.Equal(34, report.Index.Count("train"));
        Assert.Equal(2, report.Skipped.Count);
        Assert.Contains(report.Skipped, s => s.Source == Path.Combine("train", "a_dog", "004.jpg") && s.Reason.Contains("not an image"));
        Assert.Contains(report.Skipped, s => s.Source == Path.Combine("train", "c_bird", "005.jpg") && s.Reason.Contains("truncated"));
    }

    [Fact]
    public void An_empty_class_folder_or_a_val_class_unknown_to_train_is_a_clear_error()
    {
        var empty = TestSources.ImageFolder(Classes);
        foreach (var file in Directory.GetFiles(Path.Combine(empty, "train", "b_cat")))
            File.Delete(file);
        var e = Assert.Throws<InvalidDataException>(() => DatasetSource.Open(empty));
        Assert.Contains(Path.Combine(empty, "train", "b_cat"), e.Message);
        Assert.Contains("no images", e.Message);

        var unknown = TestSources.ImageFolder(Classes);
        Directory.Move(Path.Combine(unknown, "val", "c_bird"), Path.Combine(unknown, "val", "d_fish"));
        e = Assert.Throws<InvalidDataException>(() => DatasetSource.Open(unknown));
        Assert.Contains(Path.Combine(unknown, "val", "d_fish"), e.Message);
    }

    [Fact]
    public void IDX_files_need_their_kind_named()
    {
        var e = Assert.Throws<ArgumentException>(() => DatasetSource.Open(TestSources.Idx(20, 10)));
        Assert.Contains("--kind FMNIST", e.Message);
    }

    [Fact]
    public async Task Pre_resizing_bounds_the_shorter_side_and_keeps_jpegs_that_are_small_enough()
    {
        var source = TestSources.TempFolder("resize");
        foreach (var split in new[] { "train", "val" })
        {
            var dir = Directory.CreateDirectory(Path.Combine(source, split, "only")).FullName;
            File.WriteAllBytes(Path.Combine(dir, "big.png"), TestSources.Encode(SkiaSharp.SKEncodedImageFormat.Png, 300, 200, 90));
            File.WriteAllBytes(Path.Combine(dir, "small.jpg"), TestSources.Encode(SkiaSharp.SKEncodedImageFormat.Jpeg, 100, 80, 40));
        }
        var store = Blobs.FolderStore();
        var report = await DatasetBuilder.BuildAsync(DatasetSource.Open(source), store, "sizes", "v1",
            new ShardOptions { ResizeShorterSide = 120, JpegQuality = 85 });
        Assert.Equal(new ShardPreprocessing(ShardPreprocessing.Jpeg, 120, 85), report.Index.Preprocessing);
        var dataset = await ShardedDataset.OpenAsync(store, "sizes", "v1", new ShardCache(TestSources.TempFolder("cache")));
        var images = dataset.Open("train", ShardStreamOptions.Sequential).Epoch(0).Select(s => s.Decode(3)).ToList();
        Assert.Contains(images, i => (i.Width, i.Height) == (180, 120));
        Assert.Contains(images, i => (i.Width, i.Height) == (100, 80));
        var cached = Directory.GetFiles(Path.Combine(dataset.Cache.Folder, "shards")).Single(f => f.EndsWith(".tar"));
        var member = ShardReader.Read(cached, "train-00000.tar", 1).Single(m => m.Length == File.ReadAllBytes(Path.Combine(source, "train", "only", "small.jpg")).Length);
        Assert.Equal("jpg", member.Extension);
    }

    [Fact]
    public async Task IDX_images_become_PNG_members_with_the_same_pixels_and_labels()
    {
        var folder = TestSources.Idx(300, 40);
        var store = Blobs.FolderStore();
        var report = await DatasetBuilder.BuildAsync(DatasetSource.Open(folder, "MNIST"), store, "digits", "v1", SmallShards);
        Assert.Equal(ShardPreprocessing.Png, report.Index.Preprocessing.Encoding);
        Assert.Equal("MNIST", report.Index.Source.Kind);
        var idx = Datasets.IdxDataset.Open(folder, true, Datasets.IdxDataset.DigitClasses);
        var dataset = await ShardedDataset.OpenAsync(store, "digits", "v1", new ShardCache(TestSources.TempFolder("cache")));
        var seen = new HashSet<int>();
        foreach (var sample in dataset.Open("train", ShardStreamOptions.Sequential).Epoch(0))
        {
            var image = sample.Decode(1);
            var source = image.Pixels[0] | image.Pixels[1] << 8;
            Assert.True(seen.Add(source));
            Assert.Equal(idx.Load(source, 1).Pixels, image.Pixels);
            Assert.Equal(idx.Label(source), sample.Label);
        }
        Assert.Equal(300, seen.Count);
        Assert.NotEqual(Enumerable.Range(0, 300), dataset.Open("train", ShardStreamOptions.Sequential).Epoch(0).Select(s => s.Decode(1).Pixels[0] | s.Decode(1).Pixels[1] << 8));
    }

    private sealed class Inline<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
