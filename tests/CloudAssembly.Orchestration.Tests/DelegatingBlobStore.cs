using CloudAssembly.Storage;

namespace CloudAssembly.Orchestration.Tests;

/// <summary>A real blob store passed through, for test stores that change one behaviour of it.</summary>
public abstract class DelegatingBlobStore(IBlobStore store) : IBlobStore
{
    protected IBlobStore Inner => store;

    public string Location => store.Location;

    public virtual Task<string> UploadFileAsync(string name, string localPath, bool createOnly, CancellationToken cancellationToken = default) =>
        store.UploadFileAsync(name, localPath, createOnly, cancellationToken);

    public virtual Task<string> PutIfAbsentAsync(string name, Stream content, CancellationToken cancellationToken = default) =>
        store.PutIfAbsentAsync(name, content, cancellationToken);

    public virtual Task<string> PutIfMatchAsync(string name, Stream content, string etag, CancellationToken cancellationToken = default) =>
        store.PutIfMatchAsync(name, content, etag, cancellationToken);

    public Task<string> PutAsync(string name, Stream content, CancellationToken cancellationToken = default) => store.PutAsync(name, content, cancellationToken);

    public virtual Task<BlobContent> GetAsync(string name, CancellationToken cancellationToken = default) => store.GetAsync(name, cancellationToken);

    public Task<BlobContent> GetRangeAsync(string name, long offset, long length, CancellationToken cancellationToken = default) =>
        store.GetRangeAsync(name, offset, length, cancellationToken);

    public Task<BlobInfo?> TryGetPropertiesAsync(string name, CancellationToken cancellationToken = default) =>
        store.TryGetPropertiesAsync(name, cancellationToken);

    public IAsyncEnumerable<BlobInfo> ListAsync(string prefix, CancellationToken cancellationToken = default) => store.ListAsync(prefix, cancellationToken);

    public Task DeleteAsync(string name, CancellationToken cancellationToken = default) => store.DeleteAsync(name, cancellationToken);

    public Task<BlobInfo> DownloadFileAsync(string name, string localPath, CancellationToken cancellationToken = default) =>
        store.DownloadFileAsync(name, localPath, cancellationToken);
}
