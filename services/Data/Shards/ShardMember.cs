namespace CloudAssembly.Data.Shards;

/// <summary>One sample of a shard on disk: its key, its image's extension, where the image bytes lie in the tar, and its label.</summary>
internal readonly record struct ShardMember(string Key, string Extension, long Offset, int Length, int Label);
