using static TorchSharp.torch;

namespace CloudAssembly.Training.Distributed;

/// <summary>One CUDA rank's NCCL communicator: in-place all-reduce of a device buffer.</summary>
public sealed class NcclCollective(NcclLibrary nccl, IntPtr comm, int device, int rank, int worldSize) : ICollective
{
    private const int NcclFloat32 = 7, NcclFloat64 = 8, NcclSum = 0, NcclMax = 2;

    public int Rank => rank;

    public int WorldSize => worldSize;

    public string Backend => "NCCL";

    internal IntPtr Comm => comm;

    public void AllReduce(Tensor buffer, ReduceOp op)
    {
        var type = buffer.dtype switch
        {
            ScalarType.Float32 => NcclFloat32,
            ScalarType.Float64 => NcclFloat64,
            _ => throw new ArgumentException($"The NCCL backend reduces fp32 and fp64 buffers, not {buffer.dtype}.", nameof(buffer)),
        };
        nccl.AllReduce(comm, device, TensorMemory.Address(buffer), buffer.numel(), type, op == ReduceOp.Sum ? NcclSum : NcclMax);
    }

    public void Dispose()
    {
    }
}
