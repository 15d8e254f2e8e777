namespace CloudAssembly.Training.Distributed;

/// <summary>
/// Chooses how a phase's ranks talk: CUDA ranks use NCCL (in one process or across pods); CPU ranks are threads of one
/// process (<c>--devices cpu,cpu</c>), MPI processes (<c>mpiexec -n W</c>), or processes that meet in a blob store
/// without a launcher (<paramref name="meeting"/>: trainer pods, or <c>--rendezvous</c>), which exchange through it.
/// </summary>
public static class Collectives
{
    /// <summary>This process's single rank (<c>--device</c>): alone, an MPI process, or a NCCL rank across processes.</summary>
    public static IRankGroup ForProcess(TrainOptions o, RankMeeting? meeting = null, CancellationToken cancellation = default)
    {
        if (o.WorldSize < 1 || o.Rank < 0 || o.Rank >= o.WorldSize)
            throw new ArgumentException($"--rank {o.Rank} is outside 0..{o.WorldSize - 1} of --world_size {o.WorldSize}.");
        if (o.WorldSize == 1)
            return new SingleRank();
        if (IsCuda(o.Device))
            return NcclGroup.Open(o, [o.Device], meeting ?? RankMeeting.From(o), cancellation);
        if (MpiWorld.LaunchedRank is null)
        {
            if ((meeting ?? RankMeeting.From(o)) is { } met)
                return StoreGroup.Join(met, o.Rank, 1, o.WorldSize, cancellation);
            throw new ArgumentException(
                $"--world_size {o.WorldSize} on the CPU needs one process per rank started by MPI " +
                $"(mpiexec -n {o.WorldSize} cloudassembly train ... --world_size {o.WorldSize}), one process per rank meeting in a folder " +
                $"(--rank R --rendezvous FOLDER), or all ranks in this process (--devices {string.Join(',', Enumerable.Repeat("cpu", o.WorldSize))}).");
        }
        var world = MpiWorld.Join();
        if (world.WorldSize != o.WorldSize)
            throw new ArgumentException($"--world_size {o.WorldSize} does not match the {world.WorldSize} processes mpiexec started; pass -n {o.WorldSize}.");
        return world;
    }

    /// <summary>The ranks of <c>--devices</c>, one per device, all in this process (or, on CUDA, part of a larger NCCL world).</summary>
    public static IRankGroup ForLocalRanks(TrainOptions o, RankMeeting? meeting = null, CancellationToken cancellation = default)
    {
        if (o.Devices.All(IsCuda))
            return NcclGroup.Open(o, o.Devices, meeting ?? RankMeeting.From(o), cancellation);
        if (o.Devices.Any(IsCuda))
            throw new ArgumentException($"--devices {string.Join(',', o.Devices)} mixes CPU and CUDA; give one kind.");
        if (o.WorldSize != o.Devices.Count && (meeting ?? RankMeeting.From(o)) is { } met)
            return StoreGroup.Join(met, o.Rank, o.Devices.Count, o.WorldSize, cancellation);
        if (o.WorldSize != o.Devices.Count)
            throw new ArgumentException(
                $"--devices {string.Join(',', o.Devices)} puts {o.Devices.Count} CPU ranks in this process, but --world_size is {o.WorldSize}: " +
                "CPU ranks are either threads of one process or MPI processes, not both; processes that meet through --rendezvous may each hold several.");
        return new ThreadGroup(o.Devices.Count);
    }

    private static bool IsCuda(string device) => device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase);
}
