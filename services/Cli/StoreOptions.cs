using System.CommandLine;
using CloudAssembly.Orchestration.Messaging;
using CloudAssembly.Storage;

namespace CloudAssembly.Cli;

/// <summary>
/// The blob store, defined once for every command: <c>--store</c> is an Azure Storage connection string, an https
/// account URL, <c>UseDevelopmentStorage=true</c> (Azurite) or a folder, and falls back to
/// <c>CLOUDASSEMBLY_STORE</c>; <c>--container</c> is the container (a sub-folder of a folder store). Every command
/// resolves it through <see cref="Resolve"/>: only <c>run</c> has a default when neither is given (the current folder,
/// which also answers to main.py's <c>--output_dir</c>), and only <c>bench storage</c> takes several.
/// </summary>
public static class StoreOptions
{
    public const string Variable = BlobStores.ConnectionVariable;

    private const string Forms = "an Azure Storage connection string, an https:// account URL, UseDevelopmentStorage=true (Azurite) or a folder";

    public static readonly Option<string?> Store = new("--store") { Description = $"Blob storage: {Forms} (default: ${Variable})." };

    public static readonly Option<string> Container = new("--container")
    {
        Description = "Blob container (a sub-folder of a folder store).",
        DefaultValueFactory = _ => DefaultContainer,
    };

    /// <summary><c>run</c>'s store: the same, defaulting to the current folder (blobs under <c>./cloudassembly/</c>).</summary>
    public static readonly Option<string?> RunStore = new("--store", "--output_dir")
    {
        Description = $"Blob storage: {Forms} (default: ${Variable}, else the current folder; blobs go to <store>/cloudassembly/).",
    };

    /// <summary><c>bench storage</c>'s stores: each as <see cref="Store"/>, several allowed.</summary>
    public static readonly Option<string[]> Stores = new("--store")
    {
        Description = $"Blob stores to measure, each {Forms}; several allowed (default: ${Variable}).",
        AllowMultipleArgumentsPerToken = true,
    };

    public const string DefaultContainer = "cloudassembly";

    /// <summary>The store given on the command line, else the environment's, else <paramref name="fallback"/>; none at all is one clear error.</summary>
    public static string Resolve(string? given, string? fallback = null) =>
        (string.IsNullOrWhiteSpace(given) ? null : given)
        ?? (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured ? configured : null)
        ?? fallback
        ?? throw new ArgumentException($"Blob storage is not given: pass --store ({Forms}) or set {Variable} (the AppHost prints the line to paste).");

    /// <summary>The store and container a command with <see cref="Store"/> and <see cref="Container"/> names.</summary>
    public static BlobLocation Location(ParseResult parse) => new(Resolve(parse.GetValue(Store)), parse.GetValue(Container)!);

    /// <summary><c>bench storage</c>'s stores, or the environment's one.</summary>
    public static IReadOnlyList<string> ResolveAll(string[]? given) => given is { Length: > 0 } ? given : [Resolve(null)];
}
