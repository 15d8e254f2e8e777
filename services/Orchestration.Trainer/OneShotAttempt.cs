using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CloudAssembly.Orchestration.Trainer;

/// <summary>
/// The trainer as a pod of a phase attempt's Kubernetes Job: it runs the one attempt its arguments name, as rank
/// <c>JOB_COMPLETION_INDEX</c>, under the same claim, lease, fencing, rendezvous, checkpoints and events as a queue
/// trainer, then exits with the <see cref="AttemptEnd"/> code the Job's <c>podFailurePolicy</c> reads. SIGTERM reaches
/// the attempt directly (<see cref="PhaseWorker"/> checkpoints after its next step and reports itself preempted).
/// </summary>
public sealed class OneShotAttempt(AttemptArguments attempt, AttemptClaims claims, PhaseWorker worker, IHostApplicationLifetime lifetime,
    ILogger<OneShotAttempt> log) : BackgroundService
{
    /// <summary>The variable Kubernetes sets in every pod of an Indexed Job: the pod's index, which is its node rank.</summary>
    public const string CompletionIndex = "JOB_COMPLETION_INDEX";

    /// <summary>How long the claim waits out a storage outage before the pod gives up (the Job then fails and the attempt is retried).</summary>
    private static readonly TimeSpan OutageLimit = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        AttemptEnd end;
        try
        {
            // Events go out on the bus: start once it is up.
            await Task.Delay(Timeout.InfiniteTimeSpan, lifetime.ApplicationStarted).ContinueWith(_ => { }, TaskScheduler.Default);
            end = await RunAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            log.LogError(e, "{AttemptId}: the one-shot trainer failed before its attempt started", attempt.AttemptId);
            end = AttemptEnd.Failed;
        }
        catch (OperationCanceledException)
        {
            end = AttemptEnd.Preempted;
        }
        log.LogInformation("{AttemptId}: {End}; exiting with code {Code}", attempt.AttemptId, end, (int)end);
        Environment.ExitCode = (int)end;
        lifetime.StopApplication();
    }

    private async Task<AttemptEnd> RunAsync(CancellationToken stop)
    {
        var node = NodeRank();
        var claimed = await ClaimAsync(node, stop);
        return claimed is null ? AttemptEnd.Stopped
            : await worker.Start(claimed.Command, NoSlot.Instance, claimed.Lease, claimed.ETag, claimed.TraceParent);
    }

    private async Task<ClaimedAttempt?> ClaimAsync(int node, CancellationToken stop)
    {
        var waited = TimeSpan.Zero;
        for (var pause = TimeSpan.FromSeconds(1); ; pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(30).Ticks)))
        {
            try
            {
                return await claims.TryClaimAsync(attempt, node, stop);
            }
            catch (Exception e) when (StorageFaults.IsUnavailable(e) && waited < OutageLimit)
            {
                log.LogWarning("{AttemptId}: storage unavailable while claiming node {Node} ({Error}); trying again in {Pause}", attempt.AttemptId,
                    node, e.Message, pause);
                await Task.Delay(pause, stop);
                waited += pause;
            }
        }
    }

    private static int NodeRank()
    {
        var index = Environment.GetEnvironmentVariable(CompletionIndex);
        if (string.IsNullOrEmpty(index))
            return 0;
        return int.TryParse(index, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var rank) ? rank
            : throw new ArgumentException($"{CompletionIndex}='{index}' is not a node rank (a number from 0).");
    }

    /// <summary>A pod runs one attempt: there is no slot to give back.</summary>
    private sealed class NoSlot : IDisposable
    {
        public static readonly NoSlot Instance = new();

        public void Dispose()
        {
        }
    }
}
