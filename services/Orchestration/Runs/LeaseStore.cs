using CloudAssembly.Storage;

namespace CloudAssembly.Orchestration.Runs;

/// <summary>
/// Attempt leases in blob storage. A trainer claims an attempt by writing the phase's lease (create-only, or by
/// compare-and-swap over an older attempt's); only one trainer ever holds an attempt, so a duplicate delivery is
/// dropped. Heartbeats are compare-and-swaps on the holder's ETag: if another claim wrote the lease, the holder has
/// been superseded and must stop.
/// </summary>
public sealed class LeaseStore(IBlobStore store)
{
    public async Task<(PhaseLease Lease, string ETag)?> TryReadAsync(string runId, string phase, CancellationToken ct, int rank = 0)
    {
        var name = BlobLayout.Lease(runId, phase, rank);
        try
        {
            await using var content = await store.GetAsync(name, ct);
            return (RunJson.Deserialize<PhaseLease>(content.Content, name), content.ETag);
        }
        catch (BlobNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Claims <paramref name="lease"/>'s attempt; null when this or a later attempt is (or was) already held.</summary>
    public async Task<string?> TryClaimAsync(string runId, string phase, PhaseLease lease, CancellationToken ct)
    {
        var name = BlobLayout.Lease(runId, phase, lease.Rank);
        while (true)
        {
            var current = await TryReadAsync(runId, phase, ct, lease.Rank);
            try
            {
                if (current is null)
                    return await store.PutIfAbsentAsync(name, new MemoryStream(RunJson.Serialize(lease)), ct);
                if (current.Value.Lease.Attempt >= lease.Attempt)
                    return null;
                return await store.PutIfMatchAsync(name, new MemoryStream(RunJson.Serialize(lease)), current.Value.ETag, ct);
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
    public async Task<string> HeartbeatAsync(string runId, string phase, PhaseLease lease, string etag, CancellationToken ct)
    {
        var name = BlobLayout.Lease(runId, phase, lease.Rank);
        try
        {
            return await store.PutIfMatchAsync(name, new MemoryStream(RunJson.Serialize(lease)), etag, ct);
        }
        catch (BlobConditionFailedException)
        {
            if (await TryReadAsync(runId, phase, ct, lease.Rank) is not { } current || !IsSameClaim(current.Lease, lease))
                throw;
            return await store.PutIfMatchAsync(name, new MemoryStream(RunJson.Serialize(lease)), current.ETag, ct);
        }
    }

    /// <summary>Whether two lease versions belong to one claim: the same attempt and rank, claimed by the same holder at the same moment.</summary>
    private static bool IsSameClaim(PhaseLease stored, PhaseLease own) =>
        stored.AttemptId == own.AttemptId && stored.Attempt == own.Attempt && stored.Rank == own.Rank && stored.Trainer == own.Trainer
        && stored.StartedAt == own.StartedAt;
}
