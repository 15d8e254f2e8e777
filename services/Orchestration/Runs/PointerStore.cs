using CloudAssembly.Storage;

namespace CloudAssembly.Orchestration.Runs;

/// <summary>
/// Phase pointers in blob storage, each named by <see cref="BlobLayout"/>, changed only by compare-and-swap on their ETag. An attempt first raises the
/// pointer's fencing token to its own number (<see cref="FenceAsync"/>); every later change (<see cref="PublishAsync"/>)
/// checks that the token is still its own and that it still holds its lease, so an attempt that was replaced while it
/// was paused, partitioned or slow finds the token raised and publishes nothing.
/// </summary>
public sealed class PointerStore(IBlobStore store)
{
    public async Task<(PhasePointer Pointer, string ETag)?> TryReadAsync(string pointer, CancellationToken ct) =>
        await RunJson.TryReadAsync<PhasePointer>(store, pointer, ct);

    /// <summary>Raises the fencing token to <paramref name="attempt"/>; false when a newer attempt already raised it higher.</summary>
    public async Task<bool> FenceAsync(string pointer, int attempt, CancellationToken ct)
    {
        while (true)
        {
            var current = await TryReadAsync(pointer, ct);
            if (current is { Pointer.Attempt: var held } && held >= attempt)
                return held == attempt;
            try
            {
                var raised = (current?.Pointer ?? new PhasePointer()) with { Attempt = attempt };
                if (current is null)
                    await store.PutIfAbsentAsync(pointer, new MemoryStream(RunJson.Serialize(raised)), ct);
                else
                    await store.PutIfMatchAsync(pointer, new MemoryStream(RunJson.Serialize(raised)), current.Value.ETag, ct);
                return true;
            }
            catch (Exception e) when (e is BlobAlreadyExistsException or BlobConditionFailedException)
            {
            }
        }
    }

    /// <summary>
    /// Publishes <paramref name="finished"/> as the one finished result behind <paramref name="pointer"/> by creating the
    /// pointer (create-only): the first to publish wins, and everyone, the losers too, gets the winner's blob back.
    /// </summary>
    public async Task<string> PublishOnceAsync(string pointer, string finished, CancellationToken ct)
    {
        try
        {
            await store.PutIfAbsentAsync(pointer, new MemoryStream(RunJson.Serialize(new PhasePointer { Finished = finished })), ct);
            return finished;
        }
        catch (BlobAlreadyExistsException)
        {
            return (await TryReadAsync(pointer, ct))?.Pointer.Finished
                ?? throw new InvalidDataException($"The pointer '{pointer}' exists but names no finished blob.");
        }
    }

    /// <summary>
    /// Applies <paramref name="change"/> for <paramref name="attempt"/>, checking before each try that the token is still
    /// its own and (<paramref name="ensureLease"/>) that it still holds its lease. Returns the pointer as stored.
    /// </summary>
    public async Task<PhasePointer> PublishAsync(string pointer, int attempt, Func<PhasePointer, PhasePointer> change,
        Func<CancellationToken, Task> ensureLease, CancellationToken ct)
    {
        while (true)
        {
            var current = await TryReadAsync(pointer, ct)
                ?? throw new AttemptFencedException($"'{pointer}' does not exist; attempt {attempt} never fenced it.");
            if (current.Pointer.Attempt != attempt)
                throw new AttemptFencedException($"'{pointer}' now belongs to attempt {current.Pointer.Attempt}, not {attempt}.");
            await ensureLease(ct);
            var next = change(current.Pointer);
            try
            {
                await store.PutIfMatchAsync(pointer, new MemoryStream(RunJson.Serialize(next)), current.ETag, ct);
                return next;
            }
            catch (BlobConditionFailedException)
            {
            }
        }
    }
}
