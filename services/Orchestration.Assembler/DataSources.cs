using CloudAssembly.Contracts;
using CloudAssembly.Data.Datasets;
using CloudAssembly.Storage;

namespace CloudAssembly.Orchestration.Assembler;

/// <summary>
/// Where a run may read its data, as the operator configured it (never the spec): source folders under
/// <see cref="Roots"/>, and dataset versions (SHARDS) in the cluster's own blob store (<c>azure://</c> or the same
/// endpoint as <see cref="OwnStore"/>) or on a host in <see cref="AllowedHosts"/>. The services open data stores with the
/// cluster's identity, so a data path on any other host would hand that identity's token, or a request, to whoever runs
/// it. Judged from the spec's text alone: a refused run never opens a connection or acquires a credential.
/// </summary>
public sealed record DataSources(IReadOnlyList<string> Roots, IReadOnlyList<string> AllowedHosts, string? OwnStore)
{
    /// <summary>The setting an operator adds a data host to.</summary>
    public const string AllowedHostsSetting = "Assembler:AllowedDataHosts";

    private const string AzureScheme = "azure://";

    public static DataSources From(AssemblerOptions options, string? ownStore) => new(options.DataRoots, options.AllowedDataHosts, ownStore);

    /// <summary>What is wrong with where the spec reads its data, as one sentence; null when it may read there.</summary>
    public string? Problem(RunSpec spec)
    {
        if (!DatasetCatalog.IsShards(spec.DataSet))
            return UnderRoot(spec.DataPath) ? null : $"data path '{spec.DataPath}' is not under a data root DataPrep reads ({string.Join(", ", Roots)}).";
        var hash = spec.DataPath.LastIndexOf('#');
        var store = (hash < 0 ? spec.DataPath : spec.DataPath[..hash]).Trim();
        if (store.StartsWith(AzureScheme, StringComparison.OrdinalIgnoreCase))
            return null;
        var query = store.IndexOf('?', StringComparison.Ordinal);
        Uri? endpoint;
        try
        {
            endpoint = BlobStores.Endpoint(query < 0 ? store : store[..query]);
        }
        catch (ArgumentException e)
        {
            return $"the SHARDS data path names no blob store this cluster can read: {e.Message}";
        }
        if (endpoint is null || IsOwnStore(endpoint) || AllowedHosts.Any(h => Matches(h, endpoint)))
            return null;
        return $"the SHARDS data path reads the blob store at {endpoint.Authority}, which is neither this cluster's store nor an allowed data host " +
               $"(an operator can allow it in {AllowedHostsSetting}).";
    }

    private bool IsOwnStore(Uri endpoint)
    {
        try
        {
            return OwnStore is not null && BlobStores.Endpoint(OwnStore) is { } own && Matches(own.Authority, endpoint);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>An allowed host is a host name (any port) or host:port.</summary>
    private static bool Matches(string allowed, Uri endpoint) =>
        allowed.Trim().Equals(endpoint.Host, StringComparison.OrdinalIgnoreCase) || allowed.Trim().Equals(endpoint.Authority, StringComparison.OrdinalIgnoreCase);

    private bool UnderRoot(string path)
    {
        if (string.IsNullOrWhiteSpace(path) || !Path.IsPathFullyQualified(path) || path.Contains('\0'))
            return false;
        var full = Path.GetFullPath(path);
        return Roots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r)))
            .Any(root => full == root || full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }
}
