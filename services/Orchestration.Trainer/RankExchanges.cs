using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Storage;
using CloudAssembly.Training.Distributed;
using Microsoft.Extensions.Logging;

namespace CloudAssembly.Orchestration.Trainer;

/// <summary>
/// What the ranks of a phase on several pods exchanged through blob storage: each attempt's <c>rendezvous/</c> and
/// <c>allreduce/</c> blobs. A failed attempt leaves its last buffers (one per rank, the size of the gradient), so node 0
/// deletes those of every attempt once the phase is complete.
/// </summary>
public static class RankExchanges
{
    public static async Task DeleteAsync(IBlobStore store, TrainPhase command, ILogger log)
    {
        try
        {
            var names = new List<string>();
            await foreach (var blob in store.ListAsync(BlobLayout.PhaseFolder(command.RunId, command.Phase)))
                if (RankMeeting.IsExchange(blob.Name))
                    names.Add(blob.Name);
            foreach (var name in names)
                await store.DeleteAsync(name);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("Run {RunId} {Phase}: could not delete the ranks' exchange blobs ({Error})", command.RunId, command.Phase, e.Message);
        }
    }
}
