using static TorchSharp.torch;

namespace CloudAssembly.Training.Distributed;

/// <summary>One rank's handle on a <see cref="StoreGroup"/>; every rank calls its collectives in the same order.</summary>
public sealed class StoreCollective(StoreGroup group, int rank) : ICollective
{
    private long sequence;

    public int Rank => rank;

    public int WorldSize => group.WorldSize;

    public string Backend => "blob-store all-reduce";

    public void AllReduce(Tensor buffer, ReduceOp op) => group.AllReduce(rank, ++sequence, buffer, op);

    public void Dispose()
    {
    }
}
