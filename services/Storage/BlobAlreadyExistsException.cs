namespace CloudAssembly.Storage;

/// <summary>
/// A create-only write found the blob already there. After a retried request this can be the caller's own earlier write,
/// so a commit marker should compare the existing content before calling it a conflict.
/// </summary>
public sealed class BlobAlreadyExistsException(string name, Exception? innerException = null)
    : BlobStoreException($"Blob '{name}' already exists; it is write-once.", innerException)
{
    public string BlobName { get; } = name;
}
