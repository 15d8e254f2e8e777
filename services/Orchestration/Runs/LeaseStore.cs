using CloudAssembly.Storage;

namespace CloudAssembly.Orchestration.Runs;

/// <summary>
/// Attempt leases in blob storage. A trainer claims an attempt by writing the phase's lease (create-only, or by
/// compare-and-swap over an older attempt's); only one trainer ever holds an attempt, so a duplicate delivery is
/// dropped. Heartbeats are compare-and-swaps on the holder's ETag: if someone else wrote the lease, the holder has
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

    /// <summary>Renews the lease; throws <see cref="BlobConditionFailedException"/> when another attempt took it over.</summary>
    public Task<string> HeartbeatAsync(string runId, string phase, PhaseLease lease, string etag, CancellationToken ct) =>
        store.PutIfMatchAsync(BlobLayout.Lease(runId, phase, lease.Rank), new MemoryStream(RunJson.Serialize(lease)), etag, ct);
}
