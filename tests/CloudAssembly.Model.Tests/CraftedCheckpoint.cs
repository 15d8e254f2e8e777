using System.IO.Compression;
using System.Numerics;
using System.Text;

namespace CloudAssembly.Model.Tests;

/// <summary>
/// A checkpoint written byte by byte, <c>{"w": _rebuild_tensor_v2(storage, offset, shape, stride, False, OrderedDict())}</c>
/// over one float32 storage, so a test can declare any element count, shape, stride or offset torch.save never would.
/// </summary>
public sealed record CraftedCheckpoint(BigInteger DeclaredElements, BigInteger Offset, BigInteger[] Shape, BigInteger[] Stride, int StorageFloats = 16)
{
    public byte[] Bytes()
    {
        var pickle = new MemoryStream();
        pickle.Write([0x80, 2, (byte)'}']);
        Unicode(pickle, "w");
        Global(pickle, "torch._utils", "_rebuild_tensor_v2");
        pickle.WriteByte((byte)'(');
        pickle.WriteByte((byte)'(');
        Unicode(pickle, "storage");
        Global(pickle, "torch", "FloatStorage");
        Unicode(pickle, "0");
        Unicode(pickle, "cpu");
        Integer(pickle, DeclaredElements);
        pickle.Write([(byte)'t', (byte)'Q']);
        Integer(pickle, Offset);
        Tuple(pickle, Shape);
        Tuple(pickle, Stride);
        pickle.WriteByte(0x89);
        Global(pickle, "collections", "OrderedDict");
        pickle.Write([(byte)')', (byte)'R', (byte)'t', (byte)'R', (byte)'s', (byte)'.']);

        using var file = new MemoryStream();
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
        {
            Entry(zip, "archive/data.pkl", pickle.ToArray());
            Entry(zip, "archive/data/0", new byte[StorageFloats * 4]);
            Entry(zip, "archive/version", "3\n"u8.ToArray());
        }
        return file.ToArray();
    }

    private static void Entry(ZipArchive zip, string name, byte[] bytes)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        stream.Write(bytes);
    }

    private static void Tuple(Stream s, BigInteger[] values)
    {
        s.WriteByte((byte)'(');
        foreach (var v in values)
            Integer(s, v);
        s.WriteByte((byte)'t');
    }

    /// <summary>LONG1: a little-endian two's complement integer of any size, as Python pickles large ints.</summary>
    private static void Integer(Stream s, BigInteger value)
    {
        var bytes = value.ToByteArray();
        s.WriteByte(0x8a);
        s.WriteByte((byte)bytes.Length);
        s.Write(bytes);
    }

    private static void Unicode(Stream s, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        s.WriteByte((byte)'X');
        s.Write(BitConverter.GetBytes(bytes.Length));
        s.Write(bytes);
    }

    private static void Global(Stream s, string module, string name) => s.Write(Encoding.ASCII.GetBytes($"c{module}\n{name}\n"));
}
