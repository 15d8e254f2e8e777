using System.Collections;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace CloudAssembly.Model.Checkpoints;

/// <summary>
/// Reads a <c>torch.save</c> file (the official checkpoints, or ours) into plain .NET values: dictionaries become
/// <see cref="Hashtable"/>, lists <see cref="ArrayList"/>-like <see cref="IList"/>, tensors CPU tensors.
/// A file that is not a complete PyTorch checkpoint gives one <see cref="InvalidDataException"/> naming it.
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
            return PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: true);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or InvalidCastException
                                      or NotImplementedException or ArgumentException or KeyNotFoundException
                                      or IndexOutOfRangeException or Razorvine.Pickle.PickleException or FormatException)
        {
            throw new InvalidDataException($"Checkpoint '{name}' is not a readable PyTorch checkpoint (truncated or corrupt): {e.Message}", e);
        }
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
