using System.Text.Json;
using CloudAssembly.Storage;
using System.Text.Json.Serialization;

namespace CloudAssembly.Orchestration.Runs;

/// <summary>How <c>run.json</c> and leases are written: camelCase, enums as names, indented for people reading blobs.</summary>
public static class RunJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static T Deserialize<T>(Stream stream, string name) =>
        JsonSerializer.Deserialize<T>(stream, Options) ?? throw new InvalidDataException($"'{name}' is empty.");

    /// <summary>The document stored as <paramref name="name"/> and its ETag, or null when there is none.</summary>
    public static async Task<(T Value, string ETag)?> TryReadAsync<T>(IBlobStore store, string name, CancellationToken ct)
    {
        try
        {
            await using var content = await store.GetAsync(name, ct);
            return (Deserialize<T>(content.Content, name), content.ETag);
        }
        catch (BlobNotFoundException)
        {
            return null;
        }
    }
}
