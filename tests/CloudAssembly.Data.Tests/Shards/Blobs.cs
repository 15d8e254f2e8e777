using CloudAssembly.Storage;

namespace CloudAssembly.Data.Tests.Shards;

public static class Blobs
{
    public static IBlobStore FolderStore() => BlobStores.Open(TestSources.TempFolder("store"));

    public static async Task<byte[]> ReadAsync(IBlobStore store, string name)
    {
        await using var content = await store.GetAsync(name);
        using var memory = new MemoryStream();
        await content.Content.CopyToAsync(memory);
        return memory.ToArray();
    }

    public static async Task<Dictionary<string, string>> ETagsAsync(IBlobStore store, string prefix)
    {
        var etags = new Dictionary<string, string>();
        await foreach (var blob in store.ListAsync(prefix))
            etags[blob.Name] = blob.ETag;
        return etags;
    }
}
