using CloudAssembly.Data.Shards;
using CloudAssembly.Data.Tests.Shards;
using CloudAssembly.Storage;

namespace CloudAssembly.Data.Tests.Loading;

/// <summary>1000 synthetic IDX digits (image i carries i in its first pixels) built once into small shards of a folder store.</summary>
public sealed class DigitShards : IAsyncLifetime
{
    public const int Train = 1000;

    public IBlobStore Store { get; } = Blobs.FolderStore();

    public DatasetIndex Index { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var source = DatasetSource.Open(TestSources.Idx(Train, 100), "MNIST");
        Index = (await DatasetBuilder.BuildAsync(source, Store, "digits", "v1", new ShardOptions { ShardBytes = 64 * 1024, Workers = 2 })).Index;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public ShardSampleSource Open(ShardStreamOptions options, ShardCache? cache = null, string split = "train") =>
        new(Store, Index, split, cache ?? new ShardCache(TestSources.TempFolder("cache")), options);
}
