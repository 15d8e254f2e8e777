namespace CloudAssembly.Storage;

public sealed class BlobNotFoundException(string name, string location, Exception? innerException = null)
    : BlobStoreException($"Blob '{name}' does not exist in {location}.", innerException)
{
    public string BlobName { get; } = name;
}
