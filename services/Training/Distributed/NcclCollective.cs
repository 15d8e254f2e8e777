using static TorchSharp.torch;

namespace CloudAssembly.Training.Distributed;

/// <summary>
/// One CUDA rank's NCCL communicator: in-place all-reduce of a device buffer. Once <paramref name="watch"/> aborted the
/// communicator (a peer lost, NCCL's error, the attempt cancelled) the all-reduce throws why, and never touches the
/// freed communicator again.
/// </summary>
public sealed class NcclCollective(INcclComms nccl, IntPtr comm, int device, int rank, int worldSize, NcclWatch watch) : ICollective
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
        watch.ThrowIfAborted();
        try
        {
            nccl.AllReduce(comm, device, TensorMemory.Address(buffer), buffer.numel(), type, op == ReduceOp.Sum ? NcclRedOp.Sum : NcclRedOp.Max);
        }
        catch (Exception) when (watch.Aborted)
        {
            // An aborted collective may also report an error of its own; the abort's reason is the one that explains it.
        }
        watch.ThrowIfAborted();
    }

    public void Dispose()
    {
    }
}
