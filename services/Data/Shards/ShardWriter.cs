using System.Formats.Tar;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CloudAssembly.Data.Shards;

/// <summary>
/// Writes one WebDataset shard to a local file: per sample <c>{key}.{ext}</c> and then <c>{key}.cls</c> (the label in
/// decimal), as POSIX ustar entries whose metadata is fixed (mode 0644, uid and gid 0, no owner names, mtime 0), so
/// the same samples always give the same bytes.
/// </summary>
internal sealed class ShardWriter : IDisposable
{
    private const int Block = 512;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly FileStream file;
    private readonly TarWriter tar;

    public ShardWriter(string path)
    {
        Path = path;
        file = new FileStream(path, System.IO.FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 20);
        tar = new TarWriter(file, TarEntryFormat.Ustar, leaveOpen: true);
    }

    public string Path { get; }

    public int Samples { get; private set; }

    /// <summary>The size the shard has once finished, end-of-archive blocks included.</summary>
    public long Bytes => file.Position + 2 * Block;

    /// <summary>What a sample adds to the shard: a header and padded data for each of its two entries.</summary>
    public static long SizeOf(EncodedImage image, int label) => 2 * Block + Padded(image.Bytes.Length) + Padded(Label(label).Length);

    public static string Key(int index) => index.ToString("D9", CultureInfo.InvariantCulture);

    public void Add(int index, EncodedImage image, int label)
    {
        var key = Key(index);
        Write($"{key}.{image.Extension}", image.Bytes);
        Write($"{key}.cls", Label(label));
        Samples++;
    }

    /// <summary>Closes the archive and returns its size and sha256 (lowercase hex).</summary>
    public (long Bytes, string Sha256) Finish()
    {
        tar.Dispose();
        file.Flush(flushToDisk: true);
        file.Position = 0;
        var hash = SHA256.HashData(file);
        return (file.Length, Convert.ToHexStringLower(hash));
    }

    public void Dispose()
    {
        tar.Dispose();
        file.Dispose();
    }

    private void Write(string name, byte[] data)
    {
        var entry = new UstarTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = FileMode,
            ModificationTime = DateTimeOffset.UnixEpoch,
            Uid = 0,
            Gid = 0,
            UserName = "",
            GroupName = "",
            DataStream = new MemoryStream(data, writable: false),
        };
        tar.WriteEntry(entry);
    }

    private static byte[] Label(int label) => Encoding.ASCII.GetBytes(label.ToString(CultureInfo.InvariantCulture));

    private static long Padded(int length) => (length + Block - 1) / Block * Block;
}
