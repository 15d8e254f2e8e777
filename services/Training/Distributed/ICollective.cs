using static TorchSharp.torch;

namespace CloudAssembly.Training.Distributed;

/// <summary>
/// What one rank of a data-parallel phase exchanges with the others: an in-place all-reduce of a flat, contiguous
/// fp32 or fp64 buffer. Every rank calls it in the same order; a rank that fails makes the others' next call throw.
/// </summary>
public interface ICollective : IDisposable
{
    int Rank { get; }

    int WorldSize { get; }

    /// <summary>Where the ranks come from, for the log ("2 threads", "MPI", "NCCL").</summary>
    string Backend { get; }

    void AllReduce(Tensor buffer, ReduceOp op);
}
