using CloudAssembly.Data.Augmentation;
using CloudAssembly.Data.Loading;
using CloudAssembly.Data.Shards;
using CloudAssembly.Data.Tests.Shards;
using CloudAssembly.Training.Loading;
using static TorchSharp.torch;

namespace CloudAssembly.Data.Tests.Loading;

public class ShardStreamTests(DigitShards digits) : IClassFixture<DigitShards>
{
    private static List<int> Indices(ShardSampleSource source, int epoch) => [.. source.Epoch(epoch).Select(s => s.Index)];

    [Fact]
    public void Repeated_augmentation_has_the_official_length_and_puts_the_three_copies_in_one_batch()
    {
        var source = digits.Open(new ShardStreamOptions { Seed = 1 });
        Assert.Equal(DigitShards.Train / 256 * 256, source.EpochLength);
        var indices = Indices(source, 0);
        Assert.Equal(768, indices.Count);
        Assert.Equal(256, indices.Distinct().Count());
        const int batch = 48;
        for (var b = 0; b < indices.Count / batch; b++)
        {
            var inBatch = indices.Skip(b * batch).Take(batch).ToList();
            for (var i = 0; i < batch; i += 3)
                Assert.True(inBatch[i] == inBatch[i + 1] && inBatch[i] == inBatch[i + 2], $"batch {b} breaks a triple at {i}");
        }
        var loader = new BatchLoader(source, new EvalTransform(new AugmentationOptions { InputSize = 28, Mean = [0.5], Std = [0.5] }),
            new SampleShape(1, 28), new LoaderOptions(batch, DropLast: true, Workers: 2, Prefetch: 3, Seed: 1, CPU));
        Assert.Equal(16, loader.BatchesPerEpoch);
        Assert.Equal(16, loader.Epoch(0).Select(b => { using (b) return b.Size; }).Count(size => size == batch));
    }

    [Fact]
    public void Replicas_split_the_global_stream_disjointly_and_together_cover_it()
    {
        var whole = Indices(digits.Open(new ShardStreamOptions { Seed = 4, Repeats = 1 }), 2);
        var ranks = Enumerable.Range(0, 4).Select(r => Indices(digits.Open(new ShardStreamOptions { Seed = 4, Repeats = 1, Replicas = 4, Rank = r }), 2)).ToList();
        Assert.All(ranks, r => Assert.Equal(250, r.Count));
        Assert.Equal(Enumerable.Range(0, DigitShards.Train), ranks.SelectMany(r => r).Order());
        Assert.Equal(whole, Enumerable.Range(0, 250).SelectMany(t => ranks.Select(r => r[t])));

        var repeated = Indices(digits.Open(new ShardStreamOptions { Seed = 4 }), 2);
        var halves = Enumerable.Range(0, 2).Select(r => Indices(digits.Open(new ShardStreamOptions { Seed = 4, Replicas = 2, Rank = r }), 2)).ToList();
        Assert.All(halves, h => Assert.Equal(384, h.Count));
        Assert.Equal(repeated, Enumerable.Range(0, 384).SelectMany(t => halves.Select(h => h[t])));
    }

    [Fact]
    public void Shard_order_and_samples_change_with_the_epoch_and_repeat_with_the_seed()
    {
        var source = digits.Open(new ShardStreamOptions { Seed = 7 });
        Assert.True(source.ShardOrder(0).Count > 10);
        Assert.NotEqual(source.ShardOrder(0), source.ShardOrder(1));
        Assert.Equal(source.ShardOrder(3), digits.Open(new ShardStreamOptions { Seed = 7 }).ShardOrder(3));
        Assert.NotEqual(source.ShardOrder(3), digits.Open(new ShardStreamOptions { Seed = 8 }).ShardOrder(3));
        Assert.Equal(Indices(source, 5), Indices(digits.Open(new ShardStreamOptions { Seed = 7 }), 5));
        Assert.NotEqual(Indices(source, 5), Indices(source, 6));
        Assert.Equal(Enumerable.Range(0, 100), Indices(digits.Open(ShardStreamOptions.Sequential, split: "val"), 0));
    }

    [Fact]
    public void The_cache_serves_later_epochs_and_later_runs_without_downloading()
    {
        var cache = new ShardCache(TestSources.TempFolder("cache"));
        var source = digits.Open(new ShardStreamOptions { Seed = 2, Repeats = 1 }, cache);
        var shards = digits.Index.ShardsOf("train").Count;
        Assert.Equal(DigitShards.Train, source.Epoch(0).Count());
        Assert.Equal(shards, cache.Downloads);
        Assert.Equal(DigitShards.Train, source.Epoch(1).Count());
        Assert.Equal(shards, cache.Downloads);
        Assert.Equal(shards, cache.Hits);

        var nextRun = new ShardCache(cache.Folder);
        Assert.Equal(DigitShards.Train, digits.Open(new ShardStreamOptions { Seed = 3, Repeats = 1 }, nextRun).Epoch(0).Count());
        Assert.Equal(0, nextRun.Downloads);
    }

    [Fact]
    public void A_limit_reads_the_first_samples_only_and_sets_the_epoch_length()
    {
        var source = digits.Open(new ShardStreamOptions { Seed = 2, Repeats = 1, Limit = 300 });
        Assert.Equal(300, source.Count);
        Assert.Equal(Enumerable.Range(0, 300), Indices(source, 0).Order());
    }

    [Fact]
    public void Batches_are_the_same_bytes_with_one_or_several_threads()
    {
        var transform = new TrainTransform(new AugmentationOptions { InputSize = 28, Mean = [0.5], Std = [0.5], AutoAugment = "rand-m9-mstd0.5-inc1" });
        List<Tensor> Run(int workers)
        {
            var loader = new BatchLoader(digits.Open(new ShardStreamOptions { Seed = 9 }), transform, new SampleShape(1, 28),
                new LoaderOptions(64, DropLast: true, workers, Prefetch: workers + 1, Seed: 9, CPU));
            return [.. loader.Epoch(1).Select(b => b.Images)];
        }
        var one = Run(1);
        var three = Run(3);
        Assert.Equal(12, one.Count);
        for (var b = 0; b < one.Count; b++)
            Assert.True(one[b].eq(three[b]).all().item<bool>(), $"batch {b} differs");
    }

    [Fact]
    public void Cancelling_an_epoch_stops_it_at_once_and_the_next_epoch_runs_whole()
    {
        var loader = new BatchLoader(digits.Open(new ShardStreamOptions { Seed = 5 }),
            new TrainTransform(new AugmentationOptions { InputSize = 28, Mean = [0.5], Std = [0.5] }), new SampleShape(1, 28),
            new LoaderOptions(64, DropLast: true, Workers: 3, Prefetch: 4, Seed: 5, CPU));
        using var stop = new CancellationTokenSource();
        var seen = 0;
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var batch in loader.Epoch(0, stop.Token))
            {
                batch.Dispose();
                if (++seen == 2)
                    stop.Cancel();
            }
        });
        Assert.Equal(2, seen);
        Assert.Equal(loader.BatchesPerEpoch, loader.Epoch(1).Count(batch =>
        {
            batch.Dispose();
            return true;
        }));
    }

    [Fact]
    public async Task A_tampered_shard_stops_the_stream_with_an_error_naming_it()
    {
        var store = Blobs.FolderStore();
        var index = (await DatasetBuilder.BuildAsync(DatasetSource.Open(TestSources.Idx(300, 20), "MNIST"), store, "digits", "v1",
            new ShardOptions { ShardBytes = 64 * 1024 })).Index;
        var blob = index.BlobOf(index.Shards[2]);
        var bytes = await Blobs.ReadAsync(store, blob);
        bytes[2000] ^= 1;
        await store.PutAsync(blob, new MemoryStream(bytes));
        var source = new ShardSampleSource(store, index, "train", new ShardCache(TestSources.TempFolder("cache")), ShardStreamOptions.Sequential);
        var e = Assert.Throws<InvalidDataException>(() => source.Epoch(0).Count());
        Assert.Contains("datasets/digits/v1/train-00002.tar", e.Message);
        Assert.Contains("sha256", e.Message);
    }
}
