namespace CloudAssembly.Contracts;

/// <summary>
/// Where trainers read a run's data: a <c>--data-set</c> name and its <c>--data-path</c>. For a dataset version that
/// DataPrep built in the cluster's own blob storage, <paramref name="Name"/> and <paramref name="Version"/> say which, and
/// trainers read it through their own storage connection.
/// </summary>
public sealed record DatasetRef(string DataSet, string DataPath, string? Name = null, string? Version = null);
