namespace CloudAssembly.Data.Shards;

internal enum ShardOutcome
{
    Uploaded,
    Reused,
    Replaced,
}
