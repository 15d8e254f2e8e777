using CloudAssembly.Storage;

namespace CloudAssembly.Orchestration.Runs;

/// <summary>
/// Attempt leases in blob storage, each named by <see cref="BlobLayout"/> (a phase's node, or the dataset build). A
/// trainer claims an attempt by writing the lease (create-only, or by compare-and-swap over an older attempt's); only
/// one trainer ever holds an attempt, so a duplicate delivery is dropped. Heartbeats are compare-and-swaps on the
/// holder's ETag: if another claim wrote the lease, the holder has been superseded and must stop.
/// </summary>
public sealed class LeaseStore(IBlobStore store)
{
    public async Task<(PhaseLease Lease, string ETag)?> TryReadAsync(string lease, CancellationToken ct) =>
        await RunJson.TryReadAsync<PhaseLease>(store, lease, ct);

    /// <summary>
    /// Claims <paramref name="claim"/>'s attempt; null when this or a later attempt is (or was) already held by another
    /// claim. A claim whose write was applied but whose answer was lost (the write's retry met its own result) finds
    /// itself on reading back, and holds the lease.
    /// </summary>
    public async Task<string?> TryClaimAsync(string lease, PhaseLease claim, CancellationToken ct)
    {
        while (true)
        {
            var current = await TryReadAsync(lease, ct);
            if (current is { } stored && IsSameClaim(stored.Lease, claim))
                return stored.ETag;
            try
            {
                if (current is null)
                    return await store.PutIfAbsentAsync(lease, new MemoryStream(RunJson.Serialize(claim)), ct);
                if (current.Value.Lease.Attempt >= claim.Attempt)
                    return null;
                return await store.PutIfMatchAsync(lease, new MemoryStream(RunJson.Serialize(claim)), current.Value.ETag, ct);
            }
            catch (Exception e) when (e is BlobAlreadyExistsException or BlobConditionFailedException)
            {
            }
        }
    }

    /// <summary>
    /// Renews the lease by compare-and-swap on <paramref name="etag"/>; throws <see cref="BlobConditionFailedException"/>
    /// when another claim holds it. A failed condition alone does not prove that: a renewal whose answer never arrived (a
    /// timeout, a dropped connection, a call given up after storage had applied it) changed the ETag too. So the lease is
    /// read back, and while it still holds this very claim the renewal is made on its current ETag.
    /// </summary>
    public async Task<string> HeartbeatAsync(string lease, PhaseLease claim, string etag, CancellationToken ct)
    {
        try
        {
            return await store.PutIfMatchAsync(lease, new MemoryStream(RunJson.Serialize(claim)), etag, ct);
        }
        catch (BlobConditionFailedException)
        {
            if (await TryReadAsync(lease, ct) is not { } current || !IsSameClaim(current.Lease, claim))
                throw;
            return await store.PutIfMatchAsync(lease, new MemoryStream(RunJson.Serialize(claim)), current.ETag, ct);
        }
    }

    /// <summary>Whether two lease versions belong to one claim: the same attempt and node, claimed by the same holder at the same moment.</summary>
    private static bool IsSameClaim(PhaseLease stored, PhaseLease own) =>
        stored.AttemptId == own.AttemptId && stored.Attempt == own.Attempt && stored.Node == own.Node && stored.Trainer == own.Trainer
        && stored.StartedAt == own.StartedAt;
}
