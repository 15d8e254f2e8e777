using static TorchSharp.torch;

namespace CloudAssembly.Training.Distributed;

/// <summary>One rank's handle on a <see cref="ThreadGroup"/>.</summary>
public sealed class ThreadCollective(ThreadGroup group, int rank) : ICollective
{
    public int Rank => rank;

    public int WorldSize => group.WorldSize;

    public string Backend => $"{group.WorldSize} ranks on threads of one process";

    public void AllReduce(Tensor buffer, ReduceOp op) => group.AllReduce(rank, buffer, op);

    public void Dispose()
    {
    }
}
