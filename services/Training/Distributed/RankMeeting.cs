using CloudAssembly.Storage;

namespace CloudAssembly.Training.Distributed;

/// <summary>
/// Where the processes of one multi-process phase meet: a blob store (the run's own, or a shared folder) and a prefix
/// that belongs to one attempt (<c>runs/{id}/{phase}/attempt-{a}/</c>). The <see cref="Rendezvous"/> lives under
/// <c>{prefix}rendezvous/</c>, the <see cref="StoreGroup"/>'s all-reduces under <c>{prefix}allreduce/</c>;
/// <paramref name="Timeout"/> bounds every wait for another rank.
/// </summary>
public sealed record RankMeeting(IBlobStore Store, string Prefix, TimeSpan Timeout)
{
    private const string RendezvousFolder = "rendezvous/", AllReduceFolder = "allreduce/";

    public Rendezvous Rendezvous(int worldSize) => new(Store, Prefix + RendezvousFolder, worldSize, Timeout);

    /// <summary>The blob rank <paramref name="rank"/> rewrites to prove it is alive (<see cref="PeerWatch"/>).</summary>
    public string Heartbeat(int rank) => $"{Prefix}{RendezvousFolder}alive-{rank}";

    /// <summary>Where this meeting's blob-store all-reduces go.</summary>
    public string AllReducePrefix => Prefix + AllReduceFolder;

    /// <summary>Whether a blob of an attempt's folder is one the ranks exchanged (its rendezvous or an all-reduce buffer).</summary>
    public static bool IsExchange(string blobName) =>
        blobName.Contains($"/{RendezvousFolder}", StringComparison.Ordinal) || blobName.Contains($"/{AllReduceFolder}", StringComparison.Ordinal);

    /// <summary>
    /// The meeting <c>--rendezvous</c> names, or null: a folder every rank can read and write (a fresh one per job, since
    /// a rank claimed twice is refused). Trainer pods meet in the run's own blob store instead, under the attempt's folder.
    /// </summary>
    public static RankMeeting? From(TrainOptions o) => string.IsNullOrEmpty(o.Rendezvous) ? null
        : new RankMeeting(new FolderBlobStore(Path.GetFullPath(o.Rendezvous)), "", o.RendezvousTimeout);
}
