using static TorchSharp.torch;

namespace CloudAssembly.Model.Checkpoints;

/// <summary>One tensor storage of a checkpoint, read whole: the entry it came from and its flat elements.</summary>
internal sealed record StorageRef(string Entry, Tensor Elements)
{
    public long Count => Elements.NumberOfElements;
}
