using CloudAssembly.Storage;

namespace CloudAssembly.Data.Shards;

/// <summary>
/// A dataset version named in one string, the <c>--data-path</c> of <c>--data-set SHARDS</c>:
/// <list type="bullet">
/// <item><c>/abs/folder#name/version</c> or <c>file:///abs/folder#name/version</c>: a folder store, the same folder
/// <c>dataset build --store</c> took (blobs under <c>{folder}/{container}</c>);</item>
/// <item><c>azure://container#name/version</c>: Azure Blob Storage (Azurite locally) with the connection string from
/// <c>CLOUDASSEMBLY_STORE</c> (<see cref="BlobStores.ConnectionVariable"/>), which keeps account keys out of command
/// lines and logs.</item>
/// </list>
/// A folder form may end in <c>?container=NAME</c>; the container is <c>cloudassembly</c> otherwise.
/// </summary>
public sealed record DatasetLocation(string Connection, string Container, string Name, string Version)
{
    public const string ConnectionVariable = BlobStores.ConnectionVariable;
    public const string DefaultContainer = "cloudassembly";

    private const string AzureScheme = "azure://";
    private const string ContainerQuery = "?container=";
    private const string Expected = "expected /abs/folder#name/version, file:///abs/folder#name/version or azure://container#name/version";

    public static DatasetLocation Parse(string dataPath)
    {
        var hash = dataPath.LastIndexOf('#');
        if (hash < 0)
            throw new ArgumentException($"--data-path '{dataPath}' names no dataset version: {Expected}.");
        var (where, dataset) = (dataPath[..hash].Trim(), dataPath[(hash + 1)..].Trim());
        var parts = dataset.Split('/');
        if (parts.Length != 2)
            throw new ArgumentException($"--data-path '{dataPath}' should end in #name/version: {Expected}.");
        DatasetLayout.Validate(parts[0], parts[1]);
        if (where.StartsWith(AzureScheme, StringComparison.OrdinalIgnoreCase))
        {
            var container = where[AzureScheme.Length..].TrimEnd('/');
            var connection = Environment.GetEnvironmentVariable(ConnectionVariable);
            if (string.IsNullOrWhiteSpace(connection))
                throw new ArgumentException($"--data-path '{dataPath}' reads Azure Blob Storage, but {ConnectionVariable} is not set: set it to UseDevelopmentStorage=true (Azurite) or an Azure Storage connection string.");
            return new DatasetLocation(connection, container.Length == 0 ? DefaultContainer : container, parts[0], parts[1]);
        }
        if (where.Length == 0)
            throw new ArgumentException($"--data-path '{dataPath}' names no store before '#': {Expected}.");
        var query = where.IndexOf(ContainerQuery, StringComparison.Ordinal);
        return query < 0
            ? new DatasetLocation(where, DefaultContainer, parts[0], parts[1])
            : new DatasetLocation(where[..query], where[(query + ContainerQuery.Length)..], parts[0], parts[1]);
    }

    /// <summary>The data path for a version in a folder store (<paramref name="folder"/> as given to <c>--store</c>) or, with null, in Azure through CLOUDASSEMBLY_STORE.</summary>
    public static string Format(string? folder, string container, string name, string version)
    {
        DatasetLayout.Validate(name, version);
        if (folder is null)
            return $"{AzureScheme}{container}#{name}/{version}";
        var store = folder.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? folder : new Uri(Path.GetFullPath(folder)).AbsoluteUri;
        return container == DefaultContainer ? $"{store}#{name}/{version}" : $"{store}{ContainerQuery}{container}#{name}/{version}";
    }

    public IBlobStore OpenStore() => BlobStores.Open(Connection, Container);

    /// <summary>Never the connection string itself: it may carry an account key.</summary>
    public override string ToString() => $"{Name}/{Version} (container {Container})";
}
