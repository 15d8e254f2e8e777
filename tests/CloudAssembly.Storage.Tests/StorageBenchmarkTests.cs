using CloudAssembly.Storage;

namespace CloudAssembly.Storage.Tests;

public sealed class StorageBenchmarkTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bench-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_round_trip_reports_both_directions_and_cleans_up()
    {
        var store = new FolderBlobStore(Path.Combine(_root, "store"));

        var result = await new StorageBenchmark(store).RunAsync(megabytes: 8, workFolder: _root);

        Assert.Equal(8, result.Megabytes);
        Assert.True(result.UploadMegabytesPerSecond > 0 && result.DownloadMegabytesPerSecond > 0);
        Assert.Contains("MB/s", result.ToString());
        Assert.DoesNotContain(Directory.GetFiles(_root, "*", SearchOption.AllDirectories), f => !f.Contains(".~locks"));
    }
}
