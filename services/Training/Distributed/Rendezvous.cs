using CloudAssembly.Storage;

namespace CloudAssembly.Training.Distributed;

/// <summary>
/// Where the processes of one attempt meet, in blob storage or a shared folder (any <see cref="IBlobStore"/>): the
/// process holding rank 0 publishes a payload (NCCL's unique id) as <c>{prefix}payload</c>, every process claims its
/// ranks as <c>{prefix}rank-{r}</c> with create-only writes, and all proceed once W ranks have joined, or fail after
/// the timeout naming the ranks that never came. A prefix belongs to one attempt
/// (<c>runs/{id}/{phase}/attempt-{a}/rendezvous/</c>): a rank claimed twice, or a second payload, is refused, so a
/// process left over from an earlier attempt cannot join a later one.
/// </summary>
public sealed class Rendezvous(IBlobStore store, string prefix, int worldSize, TimeSpan timeout)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    public string PayloadName => prefix + "payload";

    public static string RankName(string prefix, int rank) => $"{prefix}rank-{rank}";

    public async Task<byte[]> JoinAsync(int firstRank, int localRanks, Func<byte[]> makePayload, CancellationToken cancellation = default)
    {
        if (firstRank < 0 || firstRank + localRanks > worldSize)
            throw new ArgumentException($"Ranks {firstRank}..{firstRank + localRanks - 1} do not fit in --world_size {worldSize}.");
        if (firstRank == 0)
            await Claim(PayloadName, makePayload(), "a payload (another rank 0 published one)", cancellation);
        for (var r = firstRank; r < firstRank + localRanks; r++)
            await Claim(RankName(prefix, r), [], $"rank {r}", cancellation);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var present = new HashSet<string>();
            await foreach (var blob in store.ListAsync(prefix, cancellation))
                present.Add(blob.Name);
            var missing = Enumerable.Range(0, worldSize).Where(r => !present.Contains(RankName(prefix, r))).ToArray();
            if (missing.Length == 0 && present.Contains(PayloadName))
            {
                await using var content = await store.GetAsync(PayloadName, cancellation);
                using var bytes = new MemoryStream();
                await content.Content.CopyToAsync(bytes, cancellation);
                return bytes.ToArray();
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException(
                    $"Rendezvous '{store.Location}/{prefix}' did not fill within {timeout.TotalSeconds:F0} s: rank(s) {string.Join(", ", missing)} of {worldSize} never joined" +
                    (present.Contains(PayloadName) ? "." : " and rank 0 published nothing.") + " Start every rank (one trainer per node), or raise the rendezvous timeout (--rendezvous-timeout, Trainer:RendezvousTimeout).");
            await Task.Delay(Poll, cancellation);
        }
    }

    private async Task Claim(string name, byte[] content, string what, CancellationToken cancellation)
    {
        try
        {
            await store.PutIfAbsentAsync(name, new MemoryStream(content), cancellation);
        }
        catch (BlobAlreadyExistsException)
        {
            throw new InvalidOperationException(
                $"Rendezvous '{store.Location}/{prefix}' already has {what}: a process of this or an earlier attempt claimed it; every attempt meets under a fresh prefix and every rank joins once.");
        }
    }
}
