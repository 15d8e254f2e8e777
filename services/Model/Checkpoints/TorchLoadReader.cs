using System.Collections;
using System.IO.Compression;
using static TorchSharp.torch;

namespace CloudAssembly.Model.Checkpoints;

/// <summary>
/// Reads a <c>torch.save</c> file (the official checkpoints, or ours) into plain .NET values: dictionaries become
/// <see cref="Hashtable"/>, lists <see cref="ArrayList"/>-like <see cref="IList"/>, tensors CPU tensors.
/// A file that is not a complete PyTorch checkpoint, or declares more than <see cref="CheckpointLimits"/> allow or
/// tensors outside their storages, gives one <see cref="InvalidDataException"/> naming it and the entry, before
/// anything of a declared size is allocated.
/// </summary>
public static class TorchLoadReader
{
    public static Hashtable Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Checkpoint '{path}' does not exist.", path);
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    public static Hashtable Read(Stream stream, string name)
    {
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            CheckArchive(zip, stream.Length);
            return CheckpointUnpickler.Load(zip);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or InvalidCastException
                                      or NotImplementedException or ArgumentException or KeyNotFoundException
                                      or IndexOutOfRangeException or Razorvine.Pickle.PickleException or FormatException
                                      or OverflowException or NullReferenceException or OutOfMemoryException or InvalidOperationException
                                      or System.Runtime.InteropServices.ExternalException)
        {
            throw new InvalidDataException($"Checkpoint '{name}' is not a readable PyTorch checkpoint (truncated or corrupt): {e.Message}", e);
        }
    }

    /// <summary>
    /// Bounds the archive before anything is unpickled: torch.save stores every entry uncompressed, so a compressed
    /// entry (whose size cannot be known before it is inflated) is refused, as are more entries, a larger pickle, or
    /// more bytes in all than the file holds.
    /// </summary>
    private static void CheckArchive(ZipArchive zip, long fileBytes)
    {
        if (zip.Entries.Count > CheckpointLimits.MaxEntries)
            throw new InvalidDataException($"it has {zip.Entries.Count} entries, more than the {CheckpointLimits.MaxEntries} a checkpoint may have");
        long total = 0;
        foreach (var entry in zip.Entries)
        {
            if (entry.CompressedLength != entry.Length)
                throw new InvalidDataException($"entry '{entry.FullName}' is compressed, which torch.save never does and which cannot be bounded before inflating it");
            if (entry.Name == "data.pkl" && entry.Length > CheckpointLimits.MaxPickleBytes)
                throw new InvalidDataException($"its pickle '{entry.FullName}' is {entry.Length} bytes, more than {CheckpointLimits.MaxPickleBytes}");
            total += entry.Length;
        }
        if (total > fileBytes)
            throw new InvalidDataException($"its entries claim {total} bytes but the file holds {fileBytes}");
    }

    /// <summary>A state dict (string keys, tensor values) from a value read out of a checkpoint.</summary>
    public static Dictionary<string, Tensor> StateDict(object? value, string what)
    {
        if (value is not IDictionary dict)
            throw new InvalidDataException($"{what} is not a state dict.");
        var result = new Dictionary<string, Tensor>(dict.Count);
        foreach (DictionaryEntry e in dict)
        {
            if (e.Key is not string key || e.Value is not Tensor t)
                throw new InvalidDataException($"{what} holds an entry that is not a named tensor ({e.Key}).");
            result[key] = t;
        }
        return result;
    }
}
