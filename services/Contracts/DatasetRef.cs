namespace CloudAssembly.Contracts;

/// <summary>Where trainers read a run's data: a <c>--data-set</c> name and its <c>--data-path</c> (for SHARDS, a dataset version in blob storage).</summary>
public sealed record DatasetRef(string DataSet, string DataPath);
