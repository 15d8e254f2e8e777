using CloudAssembly.Model;

namespace CloudAssembly.Training.Distributed;

/// <summary>
/// The CUDA ranks of one process on NCCL: one communicator per device. With every rank in this process the unique id
/// is made here; across processes (pods) the first process publishes it through the rendezvous of their
/// <see cref="RankMeeting"/> (the run's blob folder of the attempt, or the <c>--rendezvous</c> folder).
/// </summary>
public sealed class NcclGroup : IRankGroup
{
    private readonly NcclLibrary nccl;
    private readonly NcclCollective[] members;
    private bool failed;

    private NcclGroup(NcclLibrary nccl, NcclCollective[] members)
    {
        this.nccl = nccl;
        this.members = members;
    }

    public IReadOnlyList<ICollective> Members => members;

    public static NcclGroup Open(TrainOptions o, IReadOnlyList<string> devices, RankMeeting? meeting, CancellationToken cancellation)
    {
        var nccl = NcclLibrary.Load(o.Nccl, o.LibTorch);
        var indices = devices.Select(d => TorchRuntime.Initialize(d, o.LibTorch).index).Select(i => (int)Math.Max(i, 0)).ToArray();
        byte[] id;
        if (o.WorldSize == devices.Count)
            id = nccl.UniqueId();
        else if (meeting is null)
            throw new ArgumentException($"--world_size {o.WorldSize} over several processes needs --rendezvous FOLDER, a folder every rank can read and write.");
        else
            id = meeting.Rendezvous(o.WorldSize).JoinAsync(o.Rank, devices.Count, nccl.UniqueId, cancellation).GetAwaiter().GetResult();
        var comms = nccl.InitRanks(id, o.WorldSize, o.Rank, indices);
        return new NcclGroup(nccl, [.. comms.Select((c, i) => new NcclCollective(nccl, c, indices[i], o.Rank + i, o.WorldSize))]);
    }

    public void Fail() => failed = true;

    public void Dispose()
    {
        foreach (var member in members)
            nccl.Destroy(member.Comm, abort: failed);
    }
}
