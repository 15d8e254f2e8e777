using CloudAssembly.Storage;

namespace CloudAssembly.Orchestration.Tests;

/// <summary>
/// A real blob store whose uploads of blobs named <paramref name="meetAt"/> wait until <paramref name="parties"/> of
/// them have been made: so two writers certainly race on what they do next, instead of one finishing before the other starts.
/// </summary>
public sealed class MeetingBlobStore(IBlobStore store, string meetAt, int parties) : IBlobStore
{
    private readonly TaskCompletionSource allArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int arrived;

    public string Location => store.Location;

    public async Task<string> UploadFileAsync(string name, string localPath, bool createOnly, CancellationToken cancellationToken = default)
    {
        var etag = await store.UploadFileAsync(name, localPath, createOnly, cancellationToken);
        if (!name.EndsWith(meetAt, StringComparison.Ordinal))
            return etag;
        if (Interlocked.Increment(ref arrived) == parties)
            allArrived.SetResult();
        // Only against a hang should the other writer never come: the test then fails instead of waiting forever.
        await allArrived.Task.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
        return etag;
    }

    public Task<string> PutIfAbsentAsync(string name, Stream content, CancellationToken cancellationToken = default) =>
        store.PutIfAbsentAsync(name, content, cancellationToken);

    public Task<string> PutIfMatchAsync(string name, Stream content, string etag, CancellationToken cancellationToken = default) =>
        store.PutIfMatchAsync(name, content, etag, cancellationToken);

    public Task<string> PutAsync(string name, Stream content, CancellationToken cancellationToken = default) => store.PutAsync(name, content, cancellationToken);

    public Task<BlobContent> GetAsync(string name, CancellationToken cancellationToken = default) => store.GetAsync(name, cancellationToken);

    public Task<BlobContent> GetRangeAsync(string name, long offset, long length, CancellationToken cancellationToken = default) =>
        store.GetRangeAsync(name, offset, length, cancellationToken);

    public Task<BlobInfo?> TryGetPropertiesAsync(string name, CancellationToken cancellationToken = default) =>
        store.TryGetPropertiesAsync(name, cancellationToken);

    public IAsyncEnumerable<BlobInfo> ListAsync(string prefix, CancellationToken cancellationToken = default) => store.ListAsync(prefix, cancellationToken);

    public Task DeleteAsync(string name, CancellationToken cancellationToken = default) => store.DeleteAsync(name, cancellationToken);

    public Task<BlobInfo> DownloadFileAsync(string name, string localPath, CancellationToken cancellationToken = default) =>
        store.DownloadFileAsync(name, localPath, cancellationToken);
}
