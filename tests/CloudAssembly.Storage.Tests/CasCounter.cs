using System.Text;
using CloudAssembly.Storage;

namespace CloudAssembly.Storage.Tests;

/// <summary>The read-modify-write loop every pointer update uses: read with its ETag, write back only if it still matches.</summary>
public static class CasCounter
{
    /// <summary>Adds one to the number in the blob <paramref name="times"/> times; returns how many writes lost a race and retried.</summary>
    public static async Task<int> IncrementAsync(IBlobStore store, string name, int times)
    {
        var conflicts = 0;
        for (var done = 0; done < times;)
        {
            var (value, etag) = await ReadAsync(store, name);
            try
            {
                await store.PutIfMatchAsync(name, Text((value + 1).ToString()), etag);
                done++;
            }
            catch (BlobConditionFailedException)
            {
                conflicts++;
            }
        }
        return conflicts;
    }

    public static async Task<(int Value, string ETag)> ReadAsync(IBlobStore store, string name)
    {
        await using var blob = await store.GetAsync(name);
        using var reader = new StreamReader(blob.Content, Encoding.UTF8);
        return (int.Parse(await reader.ReadToEndAsync()), blob.ETag);
    }

    public static MemoryStream Text(string text) => new(Encoding.UTF8.GetBytes(text));
}
