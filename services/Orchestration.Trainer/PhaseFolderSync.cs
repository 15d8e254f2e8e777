using System.Globalization;
using System.Text.RegularExpressions;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Orchestration.Telemetry;
using CloudAssembly.Storage;
using CloudAssembly.Training.Checkpoints;

namespace CloudAssembly.Orchestration.Trainer;

/// <summary>
/// Mirrors a phase's <c>output_dir</c> between the trainer's disk and blob storage: before training, the phase's
/// checkpoints and log come down (so the phase auto-resumes where any earlier attempt stopped); after each epoch the new
/// checkpoint and the log go up and checkpoints that fell out of the kept window are deleted; at the end
/// <c>finished_checkpoint.pth</c> goes up create-only (the first attempt to finish wins).
/// </summary>
public sealed partial class PhaseFolderSync(IBlobStore store, string runId, string phase, string folder)
{
    public async Task RestoreAsync(int keep, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var checkpoints = new List<(int Epoch, string Name)>();
        var finished = false;
        var log = false;
        await foreach (var blob in store.ListAsync(BlobLayout.PhaseFolder(runId, phase), ct))
        {
            var file = blob.Name[BlobLayout.PhaseFolder(runId, phase).Length..];
            if (file == CheckpointDirectory.FinishedName)
                finished = true;
            else if (file == "log.txt")
                log = true;
            else if (CheckpointName().Match(file) is { Success: true } m)
                checkpoints.Add((int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), blob.Name));
        }
        if (log)
            await store.DownloadFileAsync(BlobLayout.Log(runId, phase), Path.Combine(folder, "log.txt"), ct);
        if (finished)
        {
            await DownloadAsync(BlobLayout.Finished(runId, phase), Path.Combine(folder, CheckpointDirectory.FinishedName), ct);
            return;
        }
        foreach (var (epoch, name) in checkpoints.OrderByDescending(c => c.Epoch).Take(Math.Max(keep, 1)))
            await DownloadAsync(name, Path.Combine(folder, $"checkpoint-{epoch}.pth"), ct);
    }

    public async Task UploadEpochAsync(int epoch, string checkpoint, int keep, CancellationToken ct)
    {
        await UploadAsync(BlobLayout.Checkpoint(runId, phase, epoch), checkpoint, createOnly: false, ct);
        await UploadAsync(BlobLayout.Log(runId, phase), Path.Combine(folder, "log.txt"), createOnly: false, ct);
        await foreach (var blob in store.ListAsync(BlobLayout.PhaseFolder(runId, phase) + "checkpoint-", ct))
            if (CheckpointName().Match(blob.Name[BlobLayout.PhaseFolder(runId, phase).Length..]) is { Success: true } m
                && int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) <= epoch - Math.Max(keep, 1))
                await store.DeleteAsync(blob.Name, ct);
    }

    /// <summary>Stores the finished checkpoint unless an earlier attempt already did; returns its blob name.</summary>
    public async Task<string> UploadFinishedAsync(string localFinished, CancellationToken ct)
    {
        var name = BlobLayout.Finished(runId, phase);
        try
        {
            await UploadAsync(name, localFinished, createOnly: true, ct);
        }
        catch (BlobAlreadyExistsException)
        {
        }
        if (File.Exists(Path.Combine(folder, "log.txt")))
            await UploadAsync(BlobLayout.Log(runId, phase), Path.Combine(folder, "log.txt"), createOnly: false, ct);
        return name;
    }

    private async Task UploadAsync(string name, string path, bool createOnly, CancellationToken ct)
    {
        using var activity = CloudAssemblyTelemetry.Source.StartActivity("checkpoint upload");
        activity?.SetTag("cloudassembly.blob", name);
        activity?.SetTag("cloudassembly.bytes", new FileInfo(path).Length);
        await store.UploadFileAsync(name, path, createOnly, ct);
    }

    private async Task DownloadAsync(string name, string path, CancellationToken ct)
    {
        using var activity = CloudAssemblyTelemetry.Source.StartActivity("checkpoint download");
        activity?.SetTag("cloudassembly.blob", name);
        var info = await store.DownloadFileAsync(name, path, ct);
        activity?.SetTag("cloudassembly.bytes", info.Size);
    }

    [GeneratedRegex(@"^checkpoint-(\d+)\.pth$")]
    private static partial Regex CheckpointName();
}
