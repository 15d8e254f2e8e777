using System.Collections.Concurrent;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Storage;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace CloudAssembly.Orchestration.DataPrep;

/// <summary>
/// Dataset builds in the background, after the request was acknowledged: a build (hours for ImageNet) never holds a
/// broker delivery, which the broker would take back after its consumer timeout and hand out again forever. Each run's
/// build holds a lease (<c>runs/{id}/dataset/lease-0.json</c>) renewed while it runs, so the Assembler asks again only
/// when a DataPrep was lost; requests of an older generation are dropped. Requests for a version already being built
/// wait for that build. Every failure is answered with <see cref="DatasetFailed"/>.
/// </summary>
public sealed class DatasetBuilds(DatasetPreparer preparer, LeaseStore leases, RunStore runs, IBus bus, DataPrepOptions options,
    TimeProvider time, ILogger<DatasetBuilds> log)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<DatasetReady>>> inFlight = new();

    /// <summary>Claims the run's build lease and starts the build; returns at once.</summary>
    public async Task StartAsync(PrepareDataset request, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var lease = new PhaseLease($"{request.RunId}.dataset.{request.Generation}", request.Generation, options.Name, now, now);
        if (await leases.TryClaimAsync(BlobLayout.DatasetLease(request.RunId), lease, ct) is not { } etag)
        {
            log.LogInformation("Dropping dataset request {Generation} of run {RunId}: it, or a newer one, is already taken", request.Generation, request.RunId);
            return;
        }
        // The run's root span, so the dataset step sits beside the phases in the run's trace.
        var traceParent = (await runs.TryGetAsync(request.RunId, ct))?.Run.TraceParent;
        _ = Task.Run(() => BuildAsync(request, traceParent, lease, etag), CancellationToken.None);
    }

    private async Task BuildAsync(PrepareDataset request, string? traceParent, PhaseLease lease, string etag)
    {
        using var building = new CancellationTokenSource();
        var beating = KeepAsync(request, lease, etag, building.Token);
        object answer;
        var key = $"{request.Name}/{request.Version}";
        var shared = inFlight.GetOrAdd(key, _ => new Lazy<Task<DatasetReady>>(() => preparer.PrepareAsync(request, traceParent, CancellationToken.None)));
        try
        {
            answer = await shared.Value with { RunId = request.RunId };
        }
        catch (Exception e)
        {
            log.LogError(e, "Preparing dataset {Dataset} for run {RunId} failed", key, request.RunId);
            answer = new DatasetFailed(request.RunId, e.Message, request.Generation);
        }
        finally
        {
            inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<DatasetReady>>>(key, shared));
            await building.CancelAsync();
            await beating;
        }
        for (var delay = TimeSpan.FromSeconds(1); ; delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks)))
        {
            try
            {
                await bus.Publish(answer, answer.GetType());
                return;
            }
            catch (Exception e)
            {
                log.LogWarning("Sending {Answer} for run {RunId} failed ({Error}); retrying", answer.GetType().Name, request.RunId, e.Message);
                await Task.Delay(delay, time);
            }
        }
    }

    /// <summary>Renews the build's lease; a build's progress is not counted, so every renewal also moves it on.</summary>
    private async Task KeepAsync(PrepareDataset request, PhaseLease lease, string etag, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.HeartbeatInterval, time, ct);
                try
                {
                    var next = lease with { HeartbeatAt = time.GetUtcNow(), Beats = lease.Beats + 1, Progress = lease.Beats + 1 };
                    etag = await leases.HeartbeatAsync(BlobLayout.DatasetLease(request.RunId), next, etag, ct);
                    lease = next;
                }
                catch (BlobConditionFailedException)
                {
                    log.LogWarning("Run {RunId}: a newer dataset request took the build's lease over", request.RunId);
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning("Run {RunId}: renewing the dataset build's lease failed ({Error})", request.RunId, e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
