namespace CloudAssembly.Storage;

/// <summary>A compare-and-swap lost: the blob changed (or went away) since its ETag was read. Re-read and try again.</summary>
public sealed class BlobConditionFailedException(string name, string expectedETag, Exception? innerException = null)
    : BlobStoreException($"Blob '{name}' changed since ETag {expectedETag} was read; re-read it and retry.", innerException)
{
    public string BlobName { get; } = name;

    public string ExpectedETag { get; } = expectedETag;
}
