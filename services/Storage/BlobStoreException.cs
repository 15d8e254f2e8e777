namespace CloudAssembly.Storage;

/// <summary>A blob operation that failed for a reason the caller can act on; the message names the blob.</summary>
public class BlobStoreException(string message, Exception? innerException = null) : Exception(message, innerException);
