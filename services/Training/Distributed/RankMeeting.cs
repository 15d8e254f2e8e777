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
    public Rendezvous Rendezvous(int worldSize) => new(Store, Prefix + "rendezvous/", worldSize, Timeout);

    /// <summary>The meeting <c>--rendezvous</c> names (a folder, or a blob connection whose container <c>rendezvous</c> is used), or null.</summary>
    public static RankMeeting? From(TrainOptions o) => string.IsNullOrEmpty(o.Rendezvous) ? null
        : new RankMeeting(IsFolder(o.Rendezvous) ? new FolderBlobStore(Path.GetFullPath(o.Rendezvous)) : BlobStores.Open(o.Rendezvous, "rendezvous"), "",
            o.RendezvousTimeout);

    private static bool IsFolder(string text) => !text.Contains('=') && !text.Contains("://");
}
