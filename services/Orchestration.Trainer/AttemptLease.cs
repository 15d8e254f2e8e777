using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Storage;
using Microsoft.Extensions.Logging;

namespace CloudAssembly.Orchestration.Trainer;

/// <summary>
/// The lease of one running attempt, as its trainer keeps it. Every renewal is a compare-and-swap on the lease's ETag, each
/// call bounded by the heartbeat interval so a hung call cannot hold it up; every renewal also re-reads <c>run.json</c>,
/// so the attempt stops when the run finished, failed or was cancelled, or a newer attempt replaced it, whether or not
/// a message said so. Before every upload the lease is renewed once more (<see cref="EnsureHeldAsync"/>): a renewal that
/// succeeds proves no one took the attempt over. Past <see cref="TrainerOptions.LeaseDeadline"/> without a renewal the
/// trainer stops training (<see cref="WaitWhileOverdue"/>) until it renews, or finds the lease taken and stops for good.
/// </summary>
public sealed class AttemptLease(LeaseStore leases, RunStore runs, TrainPhase command, PhaseLease claimed, string etag,
    TrainerOptions options, TimeProvider time, ILogger log) : IDisposable
{
    private const string PhaseCompletedReason = "the phase is already completed";
    private readonly SemaphoreSlim renewing = new(1, 1);
    private PhaseLease lease = claimed;
    private long renewedAt = time.GetTimestamp();
    private long progress;
    private int stepsPerEpoch;
    private int epochs;
    private volatile string? lost;

    /// <summary>Why the attempt must stop, once it must.</summary>
    public string? LostReason => lost;

    public TimeSpan SinceRenewed => time.GetElapsedTime(Interlocked.Read(ref renewedAt));

    /// <summary>Records how far training got; the watchdog expires an attempt whose progress stalls, and <c>watch</c> shows it.</summary>
    public void Progressed(int epoch, int step, int steps, int epochCount)
    {
        Volatile.Write(ref stepsPerEpoch, steps);
        Volatile.Write(ref epochs, epochCount);
        Interlocked.Exchange(ref progress, (long)epoch * steps + step);
    }

    /// <summary>Renews the lease now, waiting while storage does not answer; throws <see cref="AttemptFencedException"/> once the attempt lost it.</summary>
    public async Task EnsureHeldAsync(CancellationToken ct)
    {
        for (var delay = TimeSpan.FromMilliseconds(500); !await TryRenewAsync(ct); delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks)))
            await Task.Delay(delay, time, ct);
    }

    /// <summary>
    /// Runs a storage call of this attempt (a pointer read or change, a download, a deletion) so that storage being
    /// unreachable is waited out, not reported as the attempt failing (which would use up one of the phase's attempts):
    /// after such an error the call is made again once the lease renews, that is once storage answers again.
    /// </summary>
    public async Task<T> OutlastOutageAsync<T>(Func<CancellationToken, Task<T>> call, string what, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return await call(ct);
            }
            catch (Exception e) when (StorageFaults.IsUnavailable(e) && !ct.IsCancellationRequested)
            {
                log.LogWarning("Run {RunId} {Phase}: {What} failed ({Error}); waiting for storage", command.RunId, command.Phase, what, e.Message);
                await EnsureHeldAsync(ct);
            }
        }
    }

    public Task OutlastOutageAsync(Func<CancellationToken, Task> call, string what, CancellationToken ct) =>
        OutlastOutageAsync(async c =>
        {
            await call(c);
            return true;
        }, what, ct);

    /// <summary>Called by the training thread between steps: past the deadline, training waits here until the lease is renewed.</summary>
    public void WaitWhileOverdue(CancellationToken ct)
    {
        if (lost is { } reason)
            throw new AttemptFencedException(reason);
        if (SinceRenewed <= options.LeaseDeadline)
            return;
        log.LogWarning("Run {RunId} {Phase}: lease not renewed for {Elapsed:F0} s; training stops until it is", command.RunId, command.Phase,
            SinceRenewed.TotalSeconds);
        EnsureHeldAsync(ct).GetAwaiter().GetResult();
        log.LogInformation("Run {RunId} {Phase}: lease renewed; training goes on", command.RunId, command.Phase);
    }

    /// <summary>The heartbeat loop: renews every interval and cancels <paramref name="stop"/> once the attempt must stop.</summary>
    public async Task KeepAsync(CancellationTokenSource stop, CancellationToken ct)
    {
        try
        {
            while (lost is null)
            {
                await Task.Delay(options.HeartbeatInterval, time, ct);
                try
                {
                    if (await TryRenewAsync(ct) && await StopReasonAsync(ct) is { } reason)
                        lost = reason;
                }
                catch (AttemptFencedException)
                {
                }
            }
            // Other nodes of a phase on several pods stop this way when node 0 completed it: that is no warning.
            log.Log(lost == PhaseCompletedReason ? LogLevel.Information : LogLevel.Warning, "Run {RunId} {Phase}: attempt {Attempt} stops: {Reason}",
                command.RunId, command.Phase, command.Attempt, lost);
            await stop.CancelAsync();
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>True when renewed, false when storage did not answer in time.</summary>
    private async Task<bool> TryRenewAsync(CancellationToken ct)
    {
        if (lost is { } reason)
            throw new AttemptFencedException(reason);
        await renewing.WaitAsync(ct);
        try
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
            bounded.CancelAfter(options.HeartbeatInterval);
            var next = lease with
            {
                HeartbeatAt = time.GetUtcNow(), Beats = lease.Beats + 1, Progress = Interlocked.Read(ref progress),
                StepsPerEpoch = Volatile.Read(ref stepsPerEpoch), Epochs = Volatile.Read(ref epochs),
            };
            etag = await leases.HeartbeatAsync(BlobLayout.Lease(command.RunId, command.Phase, command.NodeRank), next, etag, bounded.Token);
            lease = next;
            Interlocked.Exchange(ref renewedAt, time.GetTimestamp());
            return true;
        }
        catch (BlobConditionFailedException)
        {
            lost = $"attempt {command.Attempt} lost its lease to a newer attempt";
            throw new AttemptFencedException(lost);
        }
        catch (Exception e) when (e is not AttemptFencedException && !ct.IsCancellationRequested)
        {
            log.LogWarning("Run {RunId} {Phase}: renewing the lease failed ({Error}); last renewed {Elapsed:F0} s ago", command.RunId,
                command.Phase, e.Message, SinceRenewed.TotalSeconds);
            return false;
        }
        finally
        {
            renewing.Release();
        }
    }

    /// <summary>Why the run says this attempt should stop, or null; a failed read says nothing (the lease decides then).</summary>
    private async Task<string?> StopReasonAsync(CancellationToken ct)
    {
        try
        {
            if (await runs.TryGetAsync(command.RunId, ct) is not { Run: var run })
                return "the run no longer exists";
            if (run.IsFinished)
                return $"the run is {run.Status}";
            var phase = run.Phase(command.Phase);
            return phase.AttemptId != command.AttemptId ? $"attempt {phase.Attempt} replaced it"
                : phase.Status == PhaseStatus.Completed ? PhaseCompletedReason
                : null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }

    public void Dispose() => renewing.Dispose();
}
