using CloudAssembly.Storage;

namespace CloudAssembly.Orchestration.Runs;

/// <summary>
/// <c>run.json</c> in blob storage: created create-only (a resubmitted run finds its document and changes nothing) and
/// changed only by compare-and-swap on the ETag, re-reading and re-applying the change when another writer got there
/// first. Changes are pure functions of the current document, so re-applying them is safe.
/// </summary>
public sealed class RunStore(IBlobStore store)
{
    public IBlobStore Blobs => store;

    /// <summary>Creates the document; false when the run already exists.</summary>
    public async Task<bool> TryCreateAsync(RunDocument run, CancellationToken ct)
    {
        // The marker first: a crash between the two leaves a marker without a run (skipped), never a run the watchdog cannot see.
        await store.PutAsync(BlobLayout.Active(run.RunId), new MemoryStream(), ct);
        try
        {
            await store.PutIfAbsentAsync(BlobLayout.Run(run.RunId), new MemoryStream(RunJson.Serialize(run)), ct);
            return true;
        }
        catch (BlobAlreadyExistsException)
        {
            return false;
        }
    }

    public async Task<(RunDocument Run, string ETag)?> TryGetAsync(string runId, CancellationToken ct) =>
        await RunJson.TryReadAsync<RunDocument>(store, BlobLayout.Run(runId), ct);

    /// <summary>
    /// Applies <paramref name="change"/> (null: nothing to change) until the compare-and-swap wins. Returns the document
    /// as stored afterwards and whether this call changed it.
    /// </summary>
    public async Task<(RunDocument Run, bool Changed)> UpdateAsync(string runId, Func<RunDocument, RunDocument?> change, CancellationToken ct)
    {
        while (true)
        {
            var current = await TryGetAsync(runId, ct) ?? throw new RunNotFoundException(runId);
            var next = change(current.Run);
            if (next is null)
                return (current.Run, false);
            next = next with { UpdatedAt = DateTimeOffset.UtcNow };
            try
            {
                // A finished run keeps its active marker until the watchdog has sent its outbox and written its
                // report: the Assembler that finished it may die right after this write.
                await store.PutIfMatchAsync(BlobLayout.Run(runId), new MemoryStream(RunJson.Serialize(next)), current.ETag, ct);
                return (next, true);
            }
            catch (BlobConditionFailedException)
            {
            }
        }
    }

    /// <summary>Runs that have not finished yet (the watchdog's worklist).</summary>
    public async Task<IReadOnlyList<string>> ActiveRunsAsync(CancellationToken ct)
    {
        var ids = new List<string>();
        await foreach (var blob in store.ListAsync(BlobLayout.ActivePrefix, ct))
            ids.Add(blob.Name[BlobLayout.ActivePrefix.Length..]);
        return ids;
    }

    public async Task<IReadOnlyList<RunDocument>> ListAsync(CancellationToken ct)
    {
        var runs = new List<RunDocument>();
        await foreach (var blob in store.ListAsync("runs/", ct))
            if (blob.Name.EndsWith("/run.json", StringComparison.Ordinal) && await TryGetAsync(blob.Name.Split('/')[1], ct) is { } run)
                runs.Add(run.Run);
        return runs;
    }

    /// <summary>Records why a run that does not exist was refused, replacing an earlier refusal of the id.</summary>
    public Task RecordRefusalAsync(RunRefusal refusal, CancellationToken ct) =>
        store.PutAsync(BlobLayout.Refusal(refusal.RunId), new MemoryStream(RunJson.Serialize(refusal)), ct);

    /// <summary>The latest refusal of the id and its ETag (a new refusal changes it), or null when it was never refused.</summary>
    public async Task<(RunRefusal Refusal, string ETag)?> TryGetRefusalAsync(string runId, CancellationToken ct) =>
        await RunJson.TryReadAsync<RunRefusal>(store, BlobLayout.Refusal(runId), ct);

    /// <summary>Refused runs that were never created (an id refused and later accepted is listed by <see cref="ListAsync"/> alone).</summary>
    public async Task<IReadOnlyList<RunRefusal>> ListRefusalsAsync(CancellationToken ct)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var blob in store.ListAsync("runs/", ct))
            names.Add(blob.Name);
        var refusals = new List<RunRefusal>();
        foreach (var id in names.Where(n => n.EndsWith("/refused.json", StringComparison.Ordinal)).Select(n => n.Split('/')[1]))
            if (!names.Contains(BlobLayout.Run(id)) && await TryGetRefusalAsync(id, ct) is { } refusal)
                refusals.Add(refusal.Refusal);
        return refusals;
    }
}
