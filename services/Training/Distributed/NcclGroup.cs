using CloudAssembly.Model;

namespace CloudAssembly.Training.Distributed;

/// <summary>
/// The CUDA ranks of one process on NCCL: one communicator per device. With every rank in this process the unique id
/// is made here; across processes (pods) the first process publishes it through the rendezvous of their
/// <see cref="RankMeeting"/> (the run's blob folder of the attempt, or the <c>--rendezvous</c> folder), and each rank
/// proves it is alive there while an <see cref="NcclWatch"/> aborts the communicators if a peer stops doing so.
/// </summary>
public sealed class NcclGroup : IRankGroup
{
    private readonly INcclComms nccl;
    private readonly NcclCollective[] members;
    private readonly NcclWatch watch;

    internal NcclGroup(INcclComms nccl, IReadOnlyList<(int Rank, IntPtr Comm, int Device)> comms, int worldSize, RankMeeting? meeting,
        CancellationToken cancellation)
    {
        this.nccl = nccl;
        watch = new NcclWatch(nccl, [.. comms.Select(c => (c.Rank, c.Comm))], comms.Count == worldSize ? null : meeting, worldSize, cancellation);
        members = [.. comms.Select(c => new NcclCollective(nccl, c.Comm, c.Device, c.Rank, worldSize, watch))];
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
        return new NcclGroup(nccl, [.. comms.Select((c, i) => (o.Rank + i, c, indices[i]))], o.WorldSize, meeting, cancellation);
    }

    /// <summary>Aborts the communicators at once, so that this process's other ranks stop waiting for the failed one.</summary>
    public void Fail() => watch.Fail();

    public void Dispose()
    {
        watch.Dispose();
        if (watch.Aborted)
            return;
        foreach (var member in members)
            nccl.Destroy(member.Comm);
    }
}
