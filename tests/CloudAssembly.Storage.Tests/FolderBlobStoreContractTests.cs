using CloudAssembly.Storage;

namespace CloudAssembly.Storage.Tests;

public sealed class FolderBlobStoreContractTests : BlobStoreContract
{
    private readonly string _root = Directory.CreateTempSubdirectory("folder-store-").FullName;

    protected override IBlobStore CreateStore(BlobTransferOptions? transfer = null) => new FolderBlobStore(_root, transfer);

    public override void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        base.Dispose();
    }

    [Fact]
    public async Task Blobs_are_plain_files_under_the_root_with_the_same_names()
    {
        await Store.PutAsync(Name("runs/7/PT/checkpoint-3.pth"), CasCounter.Text("weights"));

        Assert.Equal("weights", await File.ReadAllTextAsync(Path.Combine(_root, Name("runs/7/PT/checkpoint-3.pth"))));
    }

    [Fact]
    public async Task Temporary_files_left_by_a_crashed_writer_are_never_listed()
    {
        await Store.PutAsync(Name("runs/1/run.json"), CasCounter.Text("{}"));
        await File.WriteAllTextAsync(Path.Combine(_root, Name("runs/1/.~run.json.0123456789abcdef.tmp")), "half a blob");

        var names = new List<string>();
        await foreach (var blob in Store.ListAsync("")) names.Add(blob.Name);

        Assert.Equal([Name("runs/1/run.json")], names);
    }

    [Fact]
    public async Task A_hand_edit_of_the_file_moves_the_etag()
    {
        var name = Name("LATEST");
        var etag = await Store.PutAsync(name, CasCounter.Text("1"));
        var path = Path.Combine(_root, name);
        await File.WriteAllTextAsync(path, "2");
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(1));

        await Assert.ThrowsAsync<BlobConditionFailedException>(() => Store.PutIfMatchAsync(name, CasCounter.Text("3"), etag));
    }
}
