using System.Collections;
using System.IO.Compression;
using Razorvine.Pickle;
using Razorvine.Pickle.Objects;
using TorchSharp;
using static TorchSharp.torch;

namespace CloudAssembly.Model.Checkpoints;

/// <summary>
/// Unpickles a checkpoint's <c>data.pkl</c> with the storages of its archive. Each storage is checked against its entry
/// (the declared element count must be exactly the entry's bytes, all storages together at most
/// <see cref="CheckpointLimits.MaxTensorBytes"/>) before it is allocated and read once; each tensor is checked against
/// its storage (<see cref="TensorBounds"/>) before its view is made. Storages shared by several tensors stay shared,
/// as in <c>torch.load</c>. Only the object kinds a state dict holds are rebuilt; any other class becomes a plain
/// dictionary of its fields, so no code named in a pickle runs.
/// </summary>
internal sealed class CheckpointUnpickler : Unpickler
{
    // The pickle library looks constructors up in one process-wide table; these are the only ones this process
    // registers for torch's names (TorchSharp.PyBridge, which registered its own, is not referenced).
    static CheckpointUnpickler()
    {
        registerConstructor("torch._utils", "_rebuild_tensor", new TensorConstructor());
        registerConstructor("torch._utils", "_rebuild_tensor_v2", new TensorConstructor());
        registerConstructor("torch._utils", "_rebuild_parameter", new ParameterConstructor());
        registerConstructor("collections", "OrderedDict", new OrderedDictConstructor());
    }

    private readonly Dictionary<string, ZipArchiveEntry> entries;
    private readonly string prefix;
    private readonly Dictionary<string, StorageRef> storages = [];
    private long bytes;

    private CheckpointUnpickler(ZipArchive archive, string prefix)
    {
        entries = archive.Entries.GroupBy(e => e.FullName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        this.prefix = prefix;
    }

    public static Hashtable Load(ZipArchive archive)
    {
        var pickle = archive.Entries.FirstOrDefault(e => e.Name == "data.pkl") ?? throw new InvalidDataException("it has no data.pkl entry");
        var data = new byte[pickle.Length];
        using (var stream = pickle.Open())
            stream.ReadExactly(data);
        var unpickler = new CheckpointUnpickler(archive, pickle.FullName[..^pickle.Name.Length]);
        try
        {
            // From an array, a length the pickle declares past its end fails before anything of that length is allocated.
            return unpickler.loads(data) as Hashtable ?? throw new InvalidDataException("its root object is not a dictionary");
        }
        finally
        {
            // The tensors are views that keep their storages alive; these handles are only the reader's own.
            foreach (var storage in unpickler.storages.Values)
                storage.Elements.Dispose();
            unpickler.close();
        }
    }

    protected override object persistentLoad(object pid)
    {
        if (pid is not object[] { Length: 5 } id || id[0] is not "storage" || id[1] is not ClassDictConstructor type || id[2] is not string key)
            throw new InvalidDataException("its pickle holds a persistent id that is not a tensor storage");
        if (storages.TryGetValue(key, out var known))
            return known;
        var (dtype, size) = StorageTypes.Of(type.name);
        var count = PickleIntegers.Of(id[4], $"element count of storage '{key}'");
        if (!entries.TryGetValue($"{prefix}data/{key}", out var entry))
            throw new InvalidDataException($"its pickle names storage '{key}', which is not in the archive");
        if (count < 0 || count > entry.Length / size || count * size != entry.Length)
            throw new InvalidDataException($"entry '{entry.FullName}' is declared as {count} {type.name} elements but holds {entry.Length} bytes");
        if (entry.Length > CheckpointLimits.MaxTensorBytes - bytes)
            throw new InvalidDataException($"its tensors take more than the {CheckpointLimits.MaxTensorBytes} bytes a checkpoint may hold");
        bytes += entry.Length;
        var elements = empty(count, dtype);
        using (var stream = entry.Open())
            elements.ReadBytesFromStream(stream);
        return storages[key] = new StorageRef(entry.FullName, elements);
    }

    /// <summary><c>torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks)</c>.</summary>
    private sealed class TensorConstructor : IObjectConstructor
    {
        public object construct(object[] args)
        {
            if (args.Length < 4 || args[0] is not StorageRef storage)
                throw new InvalidDataException("its pickle rebuilds a tensor from something that is not a storage");
            var offset = PickleIntegers.Of(args[1], $"storage offset of a tensor of entry '{storage.Entry}'");
            var shape = PickleIntegers.All(args[2], $"shape of a tensor of entry '{storage.Entry}'");
            var stride = PickleIntegers.All(args[3], $"stride of a tensor of entry '{storage.Entry}'");
            TensorBounds.Check(storage, offset, shape, stride);
            return storage.Elements.as_strided(shape, stride, offset);
        }
    }

    private sealed class ParameterConstructor : IObjectConstructor
    {
        public object construct(object[] args) =>
            throw new InvalidDataException("it holds a pickled torch.nn.Parameter (a whole module), not a state dict");
    }

    private sealed class OrderedDictConstructor : IObjectConstructor
    {
        public object construct(object[] args) => new OrderedDict();
    }

    /// <summary>A state dict; its pickled attributes (<c>_metadata</c>: per-module versions) carry nothing a reader needs.</summary>
    private sealed class OrderedDict : Hashtable
    {
        public void __setstate__(Hashtable state)
        {
        }
    }
}
