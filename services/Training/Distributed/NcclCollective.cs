using static TorchSharp.torch;

namespace CloudAssembly.Training.Distributed;

/// <summary>One CUDA rank's NCCL communicator: in-place all-reduce of a device buffer.</summary>
public sealed class NcclCollective(NcclLibrary nccl, IntPtr comm, int device, int rank, int worldSize) : ICollective
{
    public int Rank => rank;

    public int WorldSize => worldSize;

    public string Backend => "NCCL";

    internal IntPtr Comm => comm;

    public void AllReduce(Tensor buffer, ReduceOp op)
    {
        var type = buffer.dtype switch
        {
            ScalarType.Float32 => NcclDataType.Float32,
            ScalarType.Float64 => NcclDataType.Float64,
            _ => throw new ArgumentException($"The NCCL backend reduces fp32 and fp64 buffers, not {buffer.dtype}.", nameof(buffer)),
        };
        nccl.AllReduce(comm, device, TensorMemory.Address(buffer), buffer.numel(), type, op == ReduceOp.Sum ? NcclRedOp.Sum : NcclRedOp.Max);
    }

    public void Dispose()
    {
    }
}
