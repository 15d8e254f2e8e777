namespace CloudAssembly.Storage;

/// <summary>An open blob (or a range of it) and the ETag of the version being read. Dispose it to release the stream.</summary>
public sealed class BlobContent(Stream content, string etag, long length) : IDisposable, IAsyncDisposable
{
    public Stream Content { get; } = content;

    public string ETag { get; } = etag;

    /// <summary>Bytes that <see cref="Content"/> will yield.</summary>
    public long Length { get; } = length;

    public void Dispose() => Content.Dispose();

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
