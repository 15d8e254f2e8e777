using static TorchSharp.torch;

namespace CloudAssembly.Training.Distributed;

/// <summary>A phase on one rank: nothing to exchange.</summary>
public sealed class SingleRank : ICollective, IRankGroup
{
    public IReadOnlyList<ICollective> Members => [this];

    public int Rank => 0;

    public int WorldSize => 1;

    public string Backend => "single rank";

    public void AllReduce(Tensor buffer, ReduceOp op)
    {
    }

    public void Fail()
    {
    }

    public void Dispose()
    {
    }
}
