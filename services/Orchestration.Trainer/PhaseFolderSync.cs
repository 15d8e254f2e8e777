using System.Diagnostics;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Orchestration.Telemetry;
using CloudAssembly.Storage;
using CloudAssembly.Training.Checkpoints;

namespace CloudAssembly.Orchestration.Trainer;

/// <summary>
/// Mirrors a phase's <c>output_dir</c> between the trainer's disk and blob storage, through the phase's pointer: before
/// training, the checkpoints and logs (<c>log.txt</c>, <c>steps.txt</c>) the pointer names come down (so the phase resumes from the newest one that reads
/// back whole); after each epoch the checkpoint and logs go up under this attempt's own names and the pointer is moved
/// to them; a checkpoint taken inside an epoch on preemption goes up the same way (the next attempt resumes at the
/// next step), and is dropped once an epoch checkpoint passes it; at the end the finished checkpoint goes up and the
/// pointer records it. Every upload first renews the lease, and every pointer change checks the fencing token, so a
/// replaced attempt writes nothing anyone reads.
/// </summary>
public sealed class PhaseFolderSync(IBlobStore store, PointerStore pointers, AttemptLease lease, TrainPhase command, string folder,
    Action<string> warn)
{
    private const int UploadTries = 10;

    private string RunId => command.RunId;

    /// <summary>The phase's <c>output_dir</c> on this trainer's disk.</summary>
    public string Folder => folder;

    /// <summary>The newest epoch whose checkpoint this attempt published, if any.</summary>
    public int? LastUploadedEpoch { get; private set; }

    /// <summary>The checkpoint this attempt published inside an epoch when it was preempted, if any.</summary>
    public StepCheckpoint? UploadedWithin { get; private set; }

    private PhaseKey Phase => command.Phase;

    private string PointerBlob => BlobLayout.Pointer(RunId, Phase);

    public Task RestoreAsync(CancellationToken ct) => lease.OutlastOutageAsync(RestoreOnceAsync, "bringing down the phase's checkpoints", ct);

    private async Task RestoreOnceAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        if (await pointers.TryReadAsync(PointerBlob, ct) is not { Pointer: var pointer })
            return;
        if (pointer.Log is { } log)
            await DownloadAsync(log, Path.Combine(folder, "log.txt"), ct);
        if (pointer.Steps is { } steps)
            await DownloadAsync(steps, Path.Combine(folder, StepLog.FileName), ct);
        if (pointer.Finished is { } finished)
        {
            await DownloadAsync(finished, Path.Combine(folder, CheckpointDirectory.FinishedName), ct);
            return;
        }
        var directory = new CheckpointDirectory(folder);
        var checkpoints = pointer.Checkpoints.Select(c => (c.Blob, Local: directory.EpochPath(c.Epoch)));
        if (pointer.Within is { } within)
            checkpoints = checkpoints.Prepend((within.Blob, directory.StepPath(within.Epoch, within.Step)));
        foreach (var (blob, local) in checkpoints)
        {
            try
            {
                await DownloadAsync(blob, local, ct);
            }
            catch (BlobNotFoundException)
            {
                warn($"{blob} is named by the pointer but missing; resuming from an older checkpoint.");
            }
        }
    }

    /// <summary>Publishes the checkpoint a preempted attempt saved after <paramref name="step"/> steps of <paramref name="epoch"/>.</summary>
    public async Task UploadWithinEpochAsync(int epoch, int step, string checkpoint, CancellationToken ct)
    {
        var blob = BlobLayout.StepCheckpoint(RunId, Phase, command.Attempt, epoch, step);
        await UploadAsync(blob, checkpoint, ct);
        var (log, steps) = await UploadLogsAsync(ct);
        StepCheckpoint? replaced = null;
        await lease.OutlastOutageAsync(token => pointers.PublishAsync(PointerBlob, command.Attempt, p =>
        {
            replaced = p.Within is { } earlier && earlier.Blob != blob ? earlier : null;
            return p with { Within = new StepCheckpoint(epoch, step, blob), Log = log ?? p.Log, Steps = steps ?? p.Steps };
        }, lease.EnsureHeldAsync, token), $"publishing step {step} of epoch {epoch}", ct);
        UploadedWithin = new StepCheckpoint(epoch, step, blob);
        if (replaced is { Blob: var stale })
            await lease.OutlastOutageAsync(c => store.DeleteAsync(stale, c), $"deleting {stale}", ct);
    }

    public async Task UploadEpochAsync(int epoch, string checkpoint, int keep, CancellationToken ct)
    {
        var blob = BlobLayout.Checkpoint(RunId, Phase, command.Attempt, epoch);
        await UploadAsync(blob, checkpoint, ct);
        var (log, steps) = await UploadLogsAsync(ct);
        List<string> dropped = [];
        await lease.OutlastOutageAsync(token => pointers.PublishAsync(PointerBlob, command.Attempt, p =>
        {
            var listed = p.Checkpoints.Where(c => c.Blob != blob).Prepend(new EpochCheckpoint(epoch, blob)).ToList();
            var kept = listed.Where(c => c.Epoch != epoch || c.Blob == blob).Take(Math.Max(keep, 1)).ToList();
            var passed = p.Within is { } within && within.Epoch <= epoch ? within : null;
            dropped = [.. listed.Except(kept).Select(c => c.Blob), .. passed is null ? [] : new[] { passed.Blob }];
            return p with { Checkpoints = kept, Within = passed is null ? p.Within : null, Log = log ?? p.Log, Steps = steps ?? p.Steps };
        }, lease.EnsureHeldAsync, token), $"publishing epoch {epoch}", ct);
        LastUploadedEpoch = epoch;
        foreach (var old in dropped)
            await lease.OutlastOutageAsync(c => store.DeleteAsync(old, c), $"deleting {old}", ct);
    }

    /// <summary>
    /// Uploads this attempt's finished checkpoint, unless the pointer already names one (an earlier attempt finished and
    /// its completion was lost); returns the blob the phase finished with.
    /// </summary>
    public async Task<string> UploadFinishedAsync(string localFinished, CancellationToken ct)
    {
        if (await lease.OutlastOutageAsync(c => pointers.TryReadAsync(PointerBlob, c), "reading the pointer", ct) is { Pointer.Finished: { } earlier })
            return earlier;
        var blob = BlobLayout.Finished(RunId, Phase, command.Attempt);
        await UploadAsync(blob, localFinished, ct);
        return blob;
    }

    /// <summary>Records the phase as finished in its pointer (the first attempt to do so wins); returns the finished checkpoint recorded.</summary>
    public async Task<string> PublishFinishedAsync(string finished, PhaseMetrics metrics, CancellationToken ct)
    {
        var (log, steps) = await UploadLogsAsync(ct);
        var pointer = await lease.OutlastOutageAsync(c => pointers.PublishAsync(PointerBlob, command.Attempt,
            p => p.Finished is null ? p with { Finished = finished, Metrics = metrics, Log = log ?? p.Log, Steps = steps ?? p.Steps } : p, lease.EnsureHeldAsync, c),
            "publishing the finished checkpoint", ct);
        return pointer.Finished!;
    }

    /// <summary>Uploads <c>log.txt</c> and <c>steps.txt</c> under this attempt's names; null for one the phase has not written.</summary>
    private async Task<(string? Log, string? Steps)> UploadLogsAsync(CancellationToken ct) =>
        (await UploadIfWrittenAsync("log.txt", BlobLayout.Log(RunId, Phase, command.Attempt), ct),
            await UploadIfWrittenAsync(StepLog.FileName, BlobLayout.StepLog(RunId, Phase, command.Attempt), ct));

    private async Task<string?> UploadIfWrittenAsync(string file, string blob, CancellationToken ct)
    {
        var local = Path.Combine(folder, file);
        if (!File.Exists(local))
            return null;
        await UploadAsync(blob, local, ct);
        return blob;
    }

    /// <summary>Uploads under this attempt's own name; a storage error is retried once the lease is renewed again (storage is back).</summary>
    private async Task UploadAsync(string name, string path, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await lease.EnsureHeldAsync(ct);
            try
            {
                var clock = Stopwatch.StartNew();
                await store.UploadFileAsync(name, path, createOnly: false, ct);
                Transferred("uploaded", name, new FileInfo(path).Length, clock.Elapsed);
                return;
            }
            catch (Exception e) when (e is not (OperationCanceledException or AttemptFencedException) && attempt < UploadTries)
            {
                warn($"Uploading {name} failed ({e.Message}); trying again.");
            }
        }
    }

    private async Task DownloadAsync(string name, string path, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var info = await store.DownloadFileAsync(name, path, ct);
        Transferred("downloaded", name, info.Size, clock.Elapsed);
    }

    /// <summary>
    /// A transfer is an event on the phase's span, not a span of its own: a run has dozens, and a span that outlives its
    /// trainer's death would name a phase span that is never exported, leaving it an orphan at the top of the trace.
    /// </summary>
    private static void Transferred(string what, string blob, long bytes, TimeSpan took) =>
        Activity.Current?.AddEvent(new ActivityEvent($"{what} {Path.GetFileName(blob)}", tags: new ActivityTagsCollection
        {
            [CloudAssemblyTelemetry.Blob] = blob, [CloudAssemblyTelemetry.Bytes] = bytes, ["seconds"] = Math.Round(took.TotalSeconds, 3),
        }));
}
