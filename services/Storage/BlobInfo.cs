namespace CloudAssembly.Storage;

/// <summary>What a store knows about one blob without reading it.</summary>
public sealed record BlobInfo(string Name, long Size, string ETag, DateTimeOffset LastModified);
