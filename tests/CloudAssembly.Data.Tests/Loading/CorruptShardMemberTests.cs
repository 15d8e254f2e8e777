using CloudAssembly.Data.Augmentation;
using CloudAssembly.Data.Loading;
using CloudAssembly.Data.Shards;
using CloudAssembly.Data.Tests.Shards;
using CloudAssembly.Training.Loading;
using static TorchSharp.torch;

namespace CloudAssembly.Data.Tests.Loading;

public class CorruptShardMemberTests
{
    /// <summary>A version whose one shard holds ten digits, the fourth of them damaged (written by hand: the builder never lets one in).</summary>
    private static async Task<ShardSampleSource> DamagedAsync()
    {
        var store = Blobs.FolderStore();
        var built = (await DatasetBuilder.BuildAsync(DatasetSource.Open(TestSources.Idx(10, 10), "MNIST"), store, "digits", "v1", new ShardOptions())).Index;
        var cache = new ShardCache(TestSources.TempFolder("cache"));
        using var held = await cache.GetAsync(store, built.BlobOf(built.Shards[0]), built.Shards[0]);
        var original = held.Path;
        var path = Path.Combine(TestSources.TempFolder("damaged"), "train-00000.tar");
        ShardEntry shard;
        using (var writer = new ShardWriter(path))
        {
            var members = ShardReader.Read(original, "train-00000.tar", 10);
            var bytes = File.ReadAllBytes(original);
            for (var k = 0; k < members.Count; k++)
            {
                var image = bytes.AsSpan((int)members[k].Offset, members[k].Length).ToArray();
                writer.Add(k, new EncodedImage("png", k == 3 ? image[..(image.Length / 2)] : image), members[k].Label);
            }
            var (length, sha256) = writer.Finish();
            shard = new ShardEntry("train", "train-00000.tar", members.Count, length, sha256);
        }
        var index = built with { Version = "damaged", Shards = [shard, .. built.ShardsOf("val")] };
        await store.UploadFileAsync(index.BlobOf(shard), path, createOnly: true);
        return new ShardSampleSource(store, index, "train", cache, ShardStreamOptions.Sequential);
    }

    [Fact]
    public async Task A_corrupt_member_is_replaced_in_its_batch_and_named_by_shard_and_key()
    {
        var source = await DamagedAsync();
        var loader = new BatchLoader(source, new EvalTransform(new AugmentationOptions { InputSize = 28, Mean = [0.5], Std = [0.5] }),
            new SampleShape(1, 28), new LoaderOptions(5, DropLast: true, Workers: 2, Prefetch: 2, Seed: 0, CPU));
        var reported = new List<string>();
        loader.CorruptImage += reported.Add;
        var sizes = loader.Epoch(0).Select(b => { using (b) return b.Size; }).ToList();
        Assert.Equal([5, 5], sizes);
        Assert.Equal(1, loader.Report.Skipped);
        var message = Assert.Single(loader.Report.CorruptFiles);
        Assert.Contains("datasets/digits/damaged/train-00000.tar#000000003.png", message);
        Assert.Contains("truncated", message);
        Assert.Single(reported);
    }
}
