namespace CloudAssembly.Storage;

/// <summary>
/// A flat namespace of blobs named like <c>runs/{id}/PT/checkpoint-3.pth</c> ('/'-separated) with the two conditional
/// writes the pipeline commits through: create-only (a commit marker) and compare-and-swap on the ETag (a pointer).
/// Every write is atomic: a reader sees the old content or the new one, never a part.
/// </summary>
public interface IBlobStore
{
    /// <summary>Where the blobs live, for messages and benchmark output.</summary>
    string Location { get; }

    /// <summary>Creates the blob; throws <see cref="BlobAlreadyExistsException"/> if it exists. Returns the new ETag.</summary>
    Task<string> PutIfAbsentAsync(string name, Stream content, CancellationToken cancellationToken = default);

    /// <summary>Creates the blob from a local file, in parallel blocks; throws <see cref="BlobAlreadyExistsException"/> if it exists.</summary>
    Task<string> PutIfAbsentAsync(string name, string localPath, CancellationToken cancellationToken = default) =>
        UploadFileAsync(name, localPath, createOnly: true, cancellationToken);

    /// <summary>
    /// Replaces the blob only if its ETag is still <paramref name="etag"/>; throws <see cref="BlobConditionFailedException"/>
    /// when it moved or the blob is gone. Returns the new ETag.
    /// </summary>
    Task<string> PutIfMatchAsync(string name, Stream content, string etag, CancellationToken cancellationToken = default);

    /// <summary>Creates or overwrites the blob. Returns the new ETag.</summary>
    Task<string> PutAsync(string name, Stream content, CancellationToken cancellationToken = default);

    /// <summary>Opens the blob for reading; the ETag belongs to exactly the bytes read. Throws <see cref="BlobNotFoundException"/>.</summary>
    Task<BlobContent> GetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens <paramref name="length"/> bytes from <paramref name="offset"/>; a range past the end is cut at the end (empty
    /// when <paramref name="offset"/> is at or past it). Throws <see cref="BlobNotFoundException"/>.
    /// </summary>
    Task<BlobContent> GetRangeAsync(string name, long offset, long length, CancellationToken cancellationToken = default);

    /// <summary>Size, ETag and last-modified time, or null when there is no such blob.</summary>
    Task<BlobInfo?> TryGetPropertiesAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Blobs whose names start with <paramref name="prefix"/> (a plain string prefix, "" for all), sorted by name.</summary>
    IAsyncEnumerable<BlobInfo> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Deletes the blob; deleting a missing blob is not an error.</summary>
    Task DeleteAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Uploads a local file in parallel blocks without holding it in memory. With <paramref name="createOnly"/> it fails
    /// with <see cref="BlobAlreadyExistsException"/> when the blob exists; otherwise it overwrites. Returns the new ETag.
    /// </summary>
    Task<string> UploadFileAsync(string name, string localPath, bool createOnly, CancellationToken cancellationToken = default);

    /// <summary>
    /// Downloads the blob to <paramref name="localPath"/> in parallel ranges. The bytes go to a temporary file beside it
    /// that is renamed into place at the end, so a half-downloaded file is never visible under that name.
    /// Returns the properties of the version downloaded.
    /// </summary>
    Task<BlobInfo> DownloadFileAsync(string name, string localPath, CancellationToken cancellationToken = default);
}
