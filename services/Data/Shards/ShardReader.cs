using System.Formats.Tar;
using System.Globalization;
using System.Text;

namespace CloudAssembly.Data.Shards;

/// <summary>
/// Lists the samples of a local shard from its tar headers: the image bytes are not read here but later, by offset,
/// on the thread that decodes them. Each key must have one image and one <c>.cls</c> label.
/// </summary>
internal static class ShardReader
{
    public static List<ShardMember> Read(string path, string shardName, int classes)
    {
        var members = new List<ShardMember>();
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        using var tar = new TarReader(file);
        string? key = null, extension = null;
        long offset = 0;
        var length = 0;
        int? label = null;
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                continue;
            var dot = entry.Name.IndexOf('.');
            if (dot <= 0)
                throw Bad(shardName, $"member '{entry.Name}' has no extension");
            var (entryKey, entryExtension) = (entry.Name[..dot], entry.Name[(dot + 1)..]);
            if (entryKey != key)
            {
                Complete();
                (key, extension, label) = (entryKey, null, null);
            }
            if (entryExtension == "cls")
            {
                using var reader = new StreamReader(entry.DataStream!, Encoding.ASCII);
                if (!int.TryParse(reader.ReadToEnd().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value >= classes)
                    throw Bad(shardName, $"'{entry.Name}' is not a class number below {classes}");
                label = value;
            }
            else
            {
                (extension, offset, length) = (entryExtension, entry.DataOffset, checked((int)entry.Length));
            }
        }
        Complete();
        return members;

        void Complete()
        {
            if (key is null)
                return;
            if (extension is null || label is null)
                throw Bad(shardName, $"sample '{key}' lacks its {(extension is null ? "image" : ".cls label")}");
            members.Add(new ShardMember(key, extension, offset, length, label.Value));
        }
    }

    private static InvalidDataException Bad(string shardName, string problem) =>
        new($"Shard '{shardName}' is not a dataset shard: {problem}.");
}
