namespace CloudAssembly.Data.Shards;

/// <summary>One shard member's image: the extension its key carries (<c>jpg</c>, <c>png</c>, ...) and its bytes.</summary>
internal readonly record struct EncodedImage(string Extension, byte[] Bytes);
