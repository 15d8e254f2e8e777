using System.Buffers.Binary;
using System.Text;

namespace CloudAssembly.Reporting.TensorBoard;

/// <summary>
/// A TensorBoard event file (<c>events.out.tfevents.*</c>) written by hand: TFRecord records (length as uint64, masked
/// CRC-32C of the length, the data, masked CRC-32C of the data), each an <c>Event</c> protobuf. The first event carries
/// <c>file_version "brain.Event:2"</c>; each later one a <c>Summary</c> of scalars (<c>Value{tag, simple_value}</c>).
/// Only these few fields are written, with the field numbers of TensorBoard's <c>event.proto</c> and <c>summary.proto</c>.
/// </summary>
public sealed class EventFile
{
    public const string FileVersion = "brain.Event:2";

    private readonly MemoryStream records = new();

    public EventFile(double wallTime) => Record(Event(wallTime, 0, w => String(w, 3, FileVersion)));

    /// <summary>One scalar at <paramref name="step"/>; TensorBoard keeps it as a 32-bit float.</summary>
    public EventFile Scalar(string tag, long step, double wallTime, double value)
    {
        Record(Event(wallTime, step, w => Message(w, 5, summary => Message(summary, 1, v =>
        {
            String(v, 1, tag);
            Tag(v, 2, 5);
            Span<byte> bits = stackalloc byte[4];
            BinaryPrimitives.WriteSingleLittleEndian(bits, (float)value);
            v.Write(bits);
        }))));
        return this;
    }

    public byte[] ToArray() => records.ToArray();

    private static byte[] Event(double wallTime, long step, Action<MemoryStream> what)
    {
        using var e = new MemoryStream();
        Tag(e, 1, 1);
        Span<byte> bits = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(bits, wallTime);
        e.Write(bits);
        if (step != 0)
        {
            Tag(e, 2, 0);
            Varint(e, (ulong)step);
        }
        what(e);
        return e.ToArray();
    }

    private void Record(byte[] data)
    {
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)data.Length);
        Span<byte> crc = stackalloc byte[4];
        records.Write(length);
        BinaryPrimitives.WriteUInt32LittleEndian(crc, Crc32C.Masked(length));
        records.Write(crc);
        records.Write(data);
        BinaryPrimitives.WriteUInt32LittleEndian(crc, Crc32C.Masked(data));
        records.Write(crc);
    }

    /// <summary>A field's key: its number and wire type (0 varint, 1 64-bit, 2 length-delimited, 5 32-bit).</summary>
    private static void Tag(MemoryStream s, int field, int wireType) => Varint(s, (ulong)((field << 3) | wireType));

    private static void String(MemoryStream s, int field, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Tag(s, field, 2);
        Varint(s, (ulong)bytes.Length);
        s.Write(bytes);
    }

    private static void Message(MemoryStream s, int field, Action<MemoryStream> body)
    {
        using var inner = new MemoryStream();
        body(inner);
        Tag(s, field, 2);
        Varint(s, (ulong)inner.Length);
        inner.WriteTo(s);
    }

    private static void Varint(MemoryStream s, ulong value)
    {
        while (value >= 0x80)
        {
            s.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        s.WriteByte((byte)value);
    }
}
