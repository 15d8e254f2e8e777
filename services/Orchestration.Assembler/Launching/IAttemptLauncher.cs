using CloudAssembly.Contracts;
using MassTransit;

namespace CloudAssembly.Orchestration.Assembler.Launching;

/// <summary>
/// Where a phase attempt's rank slots run: as commands on the trainer queue (<see cref="QueueLauncher"/>: the embedded
/// run, the AppHost, a cluster without Kueue), or as one Kubernetes Job per attempt that Kueue admits as a gang
/// (<see cref="KubernetesJobLauncher"/>). Launching the same attempt twice is harmless; what follows (leases, fencing,
/// events) is the same either way.
/// </summary>
public interface IAttemptLauncher
{
    /// <summary>
    /// Whether an attempt nobody claimed within <c>Assembler:RedispatchAfter</c> is sent again. A queued command can be
    /// lost to a trainer that died holding it; a Job waits for admission as long as it must, and says why.
    /// </summary>
    bool ResendsUnclaimed { get; }

    /// <summary>Starts every rank slot of one attempt (all of <paramref name="ranks"/> share its id and generation).</summary>
    /// <exception cref="AttemptRefusedException">The cluster refused the attempt for good (a bad template, no permission).</exception>
    Task LaunchAsync(IReadOnlyList<TrainPhase> ranks, IPublishEndpoint publish, CancellationToken ct);

    /// <summary>What the cluster shows of every launched attempt, or null when this launcher cannot see them (the queue).</summary>
    Task<IReadOnlyList<PlacedAttempt>?> ObserveAsync(CancellationToken ct);

    /// <summary>Takes a replaced or abandoned attempt off the cluster, pods first (foreground).</summary>
    Task RemoveAsync(PlacedAttempt attempt, CancellationToken ct);
}
