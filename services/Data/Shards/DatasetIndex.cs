using System.Text.Json;
using System.Text.Json.Serialization;
using CloudAssembly.Storage;

namespace CloudAssembly.Data.Shards;

/// <summary>
/// <c>index.json</c> of a dataset version, the one source of truth about it (as in Mosaic's MDS): every shard with its
/// sample count, size and sha256, the class names, what it was built from and how. Samples are numbered densely
/// through a split's shards in index order, so sample <c>i</c> has one place whatever reads it.
/// </summary>
public sealed record DatasetIndex(
    int Format,
    string Name,
    string Version,
    IReadOnlyList<string> Classes,
    SourceInfo Source,
    ShardPreprocessing Preprocessing,
    int OrderSeed,
    IReadOnlyList<ShardEntry> Shards,
    IReadOnlyList<SkippedImage> Skipped)
{
    public const int CurrentFormat = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    [JsonIgnore]
    public IReadOnlyList<string> Splits => [.. Shards.Select(s => s.Split).Distinct()];

    public IReadOnlyList<ShardEntry> ShardsOf(string split) => [.. Shards.Where(s => s.Split == split)];

    public int Count(string split) => Shards.Where(s => s.Split == split).Sum(s => s.Samples);

    public string BlobOf(ShardEntry shard) => DatasetLayout.ShardBlob(Name, Version, shard.Name);

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static DatasetIndex Parse(byte[] json, string where)
    {
        DatasetIndex? index;
        try
        {
            index = JsonSerializer.Deserialize<DatasetIndex>(json, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{where} is not a valid dataset index: {e.Message}");
        }
        if (index is null || index.Shards is null || index.Classes is null)
            throw new InvalidDataException($"{where} is not a valid dataset index: it lacks shards or classes.");
        if (index.Format != CurrentFormat)
            throw new InvalidDataException($"{where} has format {index.Format}; this build reads format {CurrentFormat}.");
        return index;
    }

    /// <summary>Reads the index of <paramref name="name"/>/<paramref name="version"/>; a version without one is an error that says whether it was never built or never finished.</summary>
    public static async Task<DatasetIndex> LoadAsync(IBlobStore store, string name, string version, CancellationToken cancellationToken = default)
    {
        var blob = DatasetLayout.IndexBlob(name, version);
        var json = await TryReadAsync(store, blob, cancellationToken);
        if (json is null)
        {
            var started = false;
            await foreach (var _ in store.ListAsync(DatasetLayout.Prefix(name, version), cancellationToken))
            {
                started = true;
                break;
            }
            throw new FileNotFoundException(started
                ? $"Dataset {name}/{version} in {store.Location} has shards but no {blob}: its build did not finish; run the same dataset build again to resume it."
                : $"Dataset {name}/{version} does not exist in {store.Location} ({blob} is missing); build it with 'cloudassembly dataset build' or check the name and version.");
        }
        var index = Parse(json, $"{blob} in {store.Location}");
        if (index.Name != name || index.Version != version)
            throw new InvalidDataException($"{blob} in {store.Location} describes {index.Name}/{index.Version}, not {name}/{version}; it was copied to the wrong place.");
        return index;
    }

    /// <summary>The committed index, or null when the version has none (was never built or never finished).</summary>
    public static async Task<DatasetIndex?> TryLoadAsync(IBlobStore store, string name, string version, CancellationToken cancellationToken = default)
    {
        var blob = DatasetLayout.IndexBlob(name, version);
        return await TryReadAsync(store, blob, cancellationToken) is { } json ? Parse(json, $"{blob} in {store.Location}") : null;
    }

    private static async Task<byte[]?> TryReadAsync(IBlobStore store, string blob, CancellationToken cancellationToken)
    {
        try
        {
            await using var content = await store.GetAsync(blob, cancellationToken);
            using var memory = new MemoryStream();
            await content.Content.CopyToAsync(memory, cancellationToken);
            return memory.ToArray();
        }
        catch (BlobNotFoundException)
        {
            return null;
        }
    }
}
