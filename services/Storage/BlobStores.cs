using System.Text.RegularExpressions;
using Azure.Storage.Blobs;

namespace CloudAssembly.Storage;

public static partial class BlobStores
{
    /// <summary>
    /// The one environment variable naming the blob store when no <c>--store</c> is given: the CLI's commands and the
    /// <c>azure://</c> data paths of training read it (the AppHost prints it; it keeps account keys off command lines).
    /// </summary>
    public const string ConnectionVariable = "CLOUDASSEMBLY_STORE";

    private static readonly string[] AzureKeys =
        ["UseDevelopmentStorage", "DefaultEndpointsProtocol", "AccountName", "BlobEndpoint", "SharedAccessSignature"];

    /// <summary>
    /// Opens a store from one connection setting: <c>UseDevelopmentStorage=true</c> (Azurite on 127.0.0.1:10000) or any
    /// Azure Storage connection string gives an <see cref="AzureBlobStore"/> on <paramref name="container"/>; an account
    /// URL (<c>https://ACCOUNT.blob.core.windows.net</c>) gives one signed in with <c>DefaultAzureCredential</c>
    /// (Workload Identity on Kubernetes, managed identity, <c>az login</c>), so no key is configured anywhere;
    /// <c>file:///abs/path</c> or a plain folder path gives a <see cref="FolderBlobStore"/> rooted at
    /// <c>{path}/{container}</c>, so one folder holds separate containers just as one account does.
    /// </summary>
    public static IBlobStore Open(string connection, string container = "cloudassembly", BlobTransferOptions? transfer = null)
    {
        const string Expected = "expected UseDevelopmentStorage=true, an Azure Storage connection string, an https:// account URL, file:///absolute/path or a folder path";
        if (string.IsNullOrWhiteSpace(connection))
            throw new ArgumentException($"The blob connection is empty: {Expected}.", nameof(connection));
        if (!ContainerName().IsMatch(container))
            throw new ArgumentException(
                $"Invalid container name '{container}': use 3-63 lowercase letters, digits and single hyphens, starting with a letter or digit.", nameof(container));

        var text = connection.Trim();
        if (text.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || !uri.IsFile || !string.IsNullOrEmpty(uri.Host))
                throw new ArgumentException($"The blob connection '{text}' is not a local file URI like file:///data/blobs.", nameof(connection));
            return new FolderBlobStore(Path.Combine(uri.LocalPath, container), transfer);
        }
        if (IsAzureConnectionString(text))
            return new AzureBlobStore(text, container, transfer);
        if (Uri.TryCreate(text, UriKind.Absolute, out var account) && account.Scheme == Uri.UriSchemeHttps)
        {
            // A SAS or a path would be silently dropped or misread as the container: the URL names the account only.
            if (account.AbsolutePath != "/" || account.Query.Length > 0)
                throw new ArgumentException($"The blob account URL '{account.GetLeftPart(UriPartial.Path)}' must name the account only, like https://ACCOUNT.blob.core.windows.net; the container comes from Storage:Container.", nameof(connection));
            return new AzureBlobStore(account, container, transfer);
        }
        // Never echo something that looks like a connection string: it may carry an account key.
        if (text.Contains('=') || text.Contains(';'))
            throw new ArgumentException($"The blob connection looks like a connection string but names no storage account or endpoint: {Expected}.", nameof(connection));
        if (text.Contains("://"))
            throw new ArgumentException($"The blob connection '{text}' has an unsupported scheme: {Expected}.", nameof(connection));
        return new FolderBlobStore(Path.Combine(Path.GetFullPath(text), container), transfer);
    }

    /// <summary>
    /// The blob endpoint <see cref="Open"/> would connect to for <paramref name="connection"/>, read from the text alone
    /// (no connection, no credential): null for a folder store. Throws <see cref="ArgumentException"/> for a setting
    /// <see cref="Open"/> would refuse, without echoing a connection string.
    /// </summary>
    public static Uri? Endpoint(string connection)
    {
        var text = connection.Trim();
        if (IsAzureConnectionString(text))
        {
            try
            {
                return new BlobServiceClient(text).Uri;
            }
            catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
            {
                throw new ArgumentException("The blob connection string names no valid blob endpoint.", nameof(connection));
            }
        }
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && !uri.IsFile)
            return uri.Scheme == Uri.UriSchemeHttps ? uri : throw new ArgumentException($"The blob connection has an unsupported scheme '{uri.Scheme}'.", nameof(connection));
        return null;
    }

    private static bool IsAzureConnectionString(string text) =>
        text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2)[0])
            .Any(key => AzureKeys.Contains(key, StringComparer.OrdinalIgnoreCase));

    // Azure's rule, applied to both backends so a name chosen for the folder store also works in Azure.
    [GeneratedRegex("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex ContainerName();
}
