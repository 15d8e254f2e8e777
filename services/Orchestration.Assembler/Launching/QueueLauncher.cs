using CloudAssembly.Contracts;
using MassTransit;

namespace CloudAssembly.Orchestration.Assembler.Launching;

/// <summary>Each rank slot as a <see cref="TrainPhase"/> on the trainer queue, claimed by whichever trainer has a free slot.</summary>
public sealed class QueueLauncher : IAttemptLauncher
{
    public bool ResendsUnclaimed => true;

    public async Task LaunchAsync(IReadOnlyList<TrainPhase> ranks, IPublishEndpoint publish, CancellationToken ct)
    {
        foreach (var rank in ranks)
            await publish.Publish(rank, ct);
    }

    public Task<IReadOnlyList<PlacedAttempt>?> ObserveAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<PlacedAttempt>?>(null);

    public Task RemoveAsync(PlacedAttempt attempt, CancellationToken ct) => Task.CompletedTask;
}
