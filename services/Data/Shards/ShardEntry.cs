namespace CloudAssembly.Data.Shards;

/// <summary>One shard of a dataset version as its index lists it; <see cref="Sha256"/> is lowercase hex of the whole tar.</summary>
public sealed record ShardEntry(string Split, string Name, int Samples, long Bytes, string Sha256);
