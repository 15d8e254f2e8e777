using System.Text.RegularExpressions;

namespace CloudAssembly.Data.Shards;

/// <summary>
/// Where a dataset version lives in a blob store: <c>datasets/{name}/{version}/index.json</c> beside its shards
/// <c>datasets/{name}/{version}/{split}-{n:00000}.tar</c>. The index is written last, so a version without one was
/// never finished and is not a dataset.
/// </summary>
public static partial class DatasetLayout
{
    public const string IndexFile = "index.json";

    public static string Prefix(string name, string version)
    {
        Validate(name, version);
        return $"datasets/{name}/{version}/";
    }

    public static string IndexBlob(string name, string version) => Prefix(name, version) + IndexFile;

    public static string ShardBlob(string name, string version, string shardName) => Prefix(name, version) + shardName;

    public static string ShardName(string split, int number) => $"{split}-{number:00000}.tar";

    /// <summary>Names and versions are one path segment each, safe in every backend and in a data path.</summary>
    public static void Validate(string name, string version)
    {
        if (!Segment().IsMatch(name ?? ""))
            throw new ArgumentException($"Invalid dataset name '{name}': use 1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit.");
        if (!Segment().IsMatch(version ?? ""))
            throw new ArgumentException($"Invalid dataset version '{version}': use 1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit.");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex Segment();
}
