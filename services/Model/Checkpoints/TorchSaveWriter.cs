using System.Buffers.Binary;
using System.Collections;
using System.IO.Compression;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace CloudAssembly.Model.Checkpoints;

/// <summary>
/// Writes the file format of <c>torch.save</c> (a zip of a protocol-2 pickle plus one raw storage per tensor), so
/// that <c>torch.load</c> (including <c>weights_only=True</c>) reads what we save. Values: dictionaries (keys are
/// strings or integers), lists, <see cref="PyTuple"/>, strings, integers, doubles, booleans, null and CPU or GPU
/// tensors. Storages are stored uncompressed, as PyTorch writes them.
/// </summary>
public static class TorchSaveWriter
{
    private const string Archive = "archive";

    public static void Save(object root, Stream output)
    {
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        var storages = new List<Tensor>();
        var pickle = new MemoryStream();
        new PickleEmitter(pickle, storages).Emit(root);

        WriteEntry(zip, "data.pkl", pickle.ToArray());
        WriteEntry(zip, "byteorder", "little"u8.ToArray());
        for (var i = 0; i < storages.Count; i++)
        {
            using var entry = zip.CreateEntry($"{Archive}/data/{i}", CompressionLevel.NoCompression).Open();
            using var cpu = storages[i].device_type == DeviceType.CPU ? storages[i].contiguous() : storages[i].cpu().contiguous();
            entry.Write(cpu.bytes);
        }
        WriteEntry(zip, "version", "3\n"u8.ToArray());
    }

    private static void WriteEntry(ZipArchive zip, string name, byte[] data)
    {
        using var s = zip.CreateEntry($"{Archive}/{name}", CompressionLevel.NoCompression).Open();
        s.Write(data);
    }

    private sealed class PickleEmitter(Stream s, List<Tensor> storages)
    {
        private const byte Mark = (byte)'(', Stop = (byte)'.', Tuple = (byte)'t', EmptyTuple = (byte)')', EmptyDict = (byte)'}',
            EmptyList = (byte)']', SetItems = (byte)'u', Appends = (byte)'e', Reduce = (byte)'R', BinPersId = (byte)'Q',
            Global = (byte)'c', BinUnicode = (byte)'X', BinInt = (byte)'J', Long1 = 0x8a, BinFloat = (byte)'G', None = (byte)'N',
            NewTrue = 0x88, NewFalse = 0x89, Proto = 0x80;

        public void Emit(object root)
        {
            s.WriteByte(Proto);
            s.WriteByte(2);
            Value(root);
            s.WriteByte(Stop);
        }

        private void Value(object? v)
        {
            switch (v)
            {
                case null: s.WriteByte(None); break;
                case bool b: s.WriteByte(b ? NewTrue : NewFalse); break;
                case int i: Integer(i); break;
                case long l: Integer(l); break;
                case double d: Float(d); break;
                case float f: Float(f); break;
                case string str: Text(str); break;
                case Tensor t: Tensor(t); break;
                case PyTuple tuple: TupleOf(tuple.Items); break;
                case IDictionary dict: Dict(dict); break;
                case IList list: List(list); break;
                default: throw new NotSupportedException($"Cannot pickle a {v.GetType().Name} into a checkpoint.");
            }
        }

        private void Integer(long value)
        {
            if (value is >= int.MinValue and <= int.MaxValue)
            {
                s.WriteByte(BinInt);
                Span<byte> b = stackalloc byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(b, (int)value);
                s.Write(b);
                return;
            }
            s.WriteByte(Long1);
            s.WriteByte(8);
            Span<byte> l = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(l, value);
            s.Write(l);
        }

        private void Float(double value)
        {
            s.WriteByte(BinFloat);
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteDoubleBigEndian(b, value);
            s.Write(b);
        }

        private void Text(string value)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            s.WriteByte(BinUnicode);
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, bytes.Length);
            s.Write(b);
            s.Write(bytes);
        }

        private void GlobalName(string module, string name) => s.Write(Encoding.ASCII.GetBytes($"{(char)Global}{module}\n{name}\n"));

        private void TupleOf(IEnumerable<object?> items)
        {
            var list = items.ToList();
            if (list.Count == 0)
            {
                s.WriteByte(EmptyTuple);
                return;
            }
            s.WriteByte(Mark);
            foreach (var item in list)
                Value(item);
            s.WriteByte(Tuple);
        }

        private void Dict(IDictionary dict)
        {
            s.WriteByte(EmptyDict);
            if (dict.Count == 0)
                return;
            s.WriteByte(Mark);
            foreach (DictionaryEntry e in dict)
            {
                Value(e.Key);
                Value(e.Value);
            }
            s.WriteByte(SetItems);
        }

        private void List(IList list)
        {
            s.WriteByte(EmptyList);
            if (list.Count == 0)
                return;
            s.WriteByte(Mark);
            foreach (var item in list)
                Value(item);
            s.WriteByte(Appends);
        }

        // torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, OrderedDict()), with the storage
        // as a persistent id ('storage', torch.<Type>Storage, key, 'cpu', numel) that names an entry under data/.
        private void Tensor(Tensor t)
        {
            var key = storages.Count;
            storages.Add(t.detach());
            GlobalName("torch._utils", "_rebuild_tensor_v2");
            s.WriteByte(Mark);
            s.WriteByte(Mark);
            Text("storage");
            GlobalName("torch", StorageName(t.dtype));
            Text(key.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Text("cpu");
            Integer(t.numel());
            s.WriteByte(Tuple);
            s.WriteByte(BinPersId);
            Integer(0);
            TupleOf(t.shape.Select(d => (object?)d));
            TupleOf(ContiguousStrides(t.shape).Select(d => (object?)d));
            s.WriteByte(NewFalse);
            GlobalName("collections", "OrderedDict");
            s.WriteByte(EmptyTuple);
            s.WriteByte(Reduce);
            s.WriteByte(Tuple);
            s.WriteByte(Reduce);
        }

        private static long[] ContiguousStrides(long[] shape)
        {
            var strides = new long[shape.Length];
            long stride = 1;
            for (var i = shape.Length - 1; i >= 0; i--)
            {
                strides[i] = stride;
                stride *= Math.Max(shape[i], 1);
            }
            return strides;
        }

        private static string StorageName(ScalarType type) => type switch
        {
            ScalarType.Float32 => "FloatStorage",
            ScalarType.Float64 => "DoubleStorage",
            ScalarType.Float16 => "HalfStorage",
            ScalarType.BFloat16 => "BFloat16Storage",
            ScalarType.Int64 => "LongStorage",
            ScalarType.Int32 => "IntStorage",
            ScalarType.Int16 => "ShortStorage",
            ScalarType.Int8 => "CharStorage",
            ScalarType.Byte => "ByteStorage",
            ScalarType.Bool => "BoolStorage",
            _ => throw new NotSupportedException($"Cannot save a {type} tensor into a checkpoint."),
        };
    }
}

/// <summary>A Python tuple in a pickled checkpoint (a C# list becomes a Python list).</summary>
public sealed record PyTuple(params object?[] Items);
