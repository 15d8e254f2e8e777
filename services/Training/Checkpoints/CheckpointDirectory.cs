using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;
using CloudAssembly.Model.Checkpoints;
using CloudAssembly.Training.Engine;

namespace CloudAssembly.Training.Checkpoints;

/// <summary>
/// A phase's <c>output_dir</c>: <c>checkpoint-{epoch}.pth</c> after every epoch (the last <c>save_ckpt_num ×
/// save_freq</c> kept), <c>checkpoint-{epoch}-step{n}.pth</c> when a preempted phase stopped inside an epoch (kept until
/// that epoch's own checkpoint; main.py's auto-resume, which takes only names ending in digits, passes it by),
/// <c>finished_checkpoint.pth</c> at the end, and auto-resume from the latest checkpoint that reads back whole,
/// trying older ones as the official code does (which, sorting names as text, would take 99 over 100).
/// </summary>
public sealed partial class CheckpointDirectory(string folder)
{
    public const string FinishedName = "finished_checkpoint.pth";

    public string Folder { get; } = folder;

    public string FinishedPath => Path.Combine(Folder, FinishedName);

    public bool IsFinished => File.Exists(FinishedPath);

    public string EpochPath(int epoch) => Path.Combine(Folder, $"checkpoint-{epoch}.pth");

    public string StepPath(int epoch, int step) => Path.Combine(Folder, $"checkpoint-{epoch}-step{step}.pth");

    /// <summary>Checkpoints taken inside an epoch, newest first.</summary>
    public IReadOnlyList<(int Epoch, int Step, string Path)> StepCheckpoints()
    {
        if (!Directory.Exists(Folder))
            return [];
        return [.. Directory.EnumerateFiles(Folder, "checkpoint-*-step*.pth")
            .Select(p => (Match: StepCheckpointName().Match(Path.GetFileName(p)), Path: p))
            .Where(x => x.Match.Success)
            .Select(x => (int.Parse(x.Match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(x.Match.Groups[2].Value, CultureInfo.InvariantCulture), x.Path))
            .OrderByDescending(x => x.Item1).ThenByDescending(x => x.Item2)];
    }

    /// <summary>Writes the checkpoint of a phase stopped after <paramref name="step"/> steps of <paramref name="epoch"/>; earlier ones of that kind go.</summary>
    public string SaveStep(Dictionary<string, object?> checkpoint, int epoch, int step)
    {
        Directory.CreateDirectory(Folder);
        var path = StepPath(epoch, step);
        PhaseCheckpoint.Save(checkpoint, path);
        foreach (var (_, _, oldPath) in StepCheckpoints())
            if (oldPath != path)
                File.Delete(oldPath);
        return path;
    }

    /// <summary>Epoch checkpoints present, newest first.</summary>
    public IReadOnlyList<(int Epoch, string Path)> EpochCheckpoints()
    {
        if (!Directory.Exists(Folder))
            return [];
        return [.. Directory.EnumerateFiles(Folder, "checkpoint-*.pth")
            .Select(p => (Match: CheckpointName().Match(Path.GetFileName(p)), Path: p))
            .Where(x => x.Match.Success)
            .Select(x => (int.Parse(x.Match.Groups[1].Value, CultureInfo.InvariantCulture), x.Path))
            .OrderByDescending(x => x.Item1)];
    }

    /// <summary>Writes the checkpoint of <paramref name="epoch"/> atomically and deletes those that fall out of the kept window.</summary>
    public string SaveEpoch(Dictionary<string, object?> checkpoint, int epoch, int keep)
    {
        Directory.CreateDirectory(Folder);
        var path = EpochPath(epoch);
        PhaseCheckpoint.Save(checkpoint, path);
        foreach (var (old, oldPath) in EpochCheckpoints())
            if (old <= epoch - Math.Max(keep, 1))
                File.Delete(oldPath);
        foreach (var (within, _, stepPath) in StepCheckpoints())
            if (within <= epoch)
                File.Delete(stepPath);
        return path;
    }

    public string SaveFinished(Dictionary<string, object?> checkpoint)
    {
        Directory.CreateDirectory(Folder);
        PhaseCheckpoint.Save(checkpoint, FinishedPath);
        return FinishedPath;
    }

    /// <summary>
    /// The latest checkpoint that reads back completely, or null. Unreadable ones (a truncated upload, a crash on a file
    /// system without atomic rename) are skipped, each with a warning.
    /// </summary>
    public LatestCheckpoint? LatestReadable(Action<string> warn)
    {
        // A checkpoint inside epoch e after s steps lies after every step of epoch e − 1 (whose checkpoint starts epoch e at step 0).
        var candidates = EpochCheckpoints().Select(c => (Epoch: c.Epoch + 1, Step: 0, c.Path))
            .Concat(StepCheckpoints().Select(c => (c.Epoch, c.Step, c.Path)))
            .OrderByDescending(c => c.Epoch).ThenByDescending(c => c.Step);
        foreach (var (start, step, path) in candidates)
        {
            try
            {
                var checkpoint = TorchLoadReader.Read(path);
                if (checkpoint["model_stages"] is null || checkpoint["epoch"] is null)
                    throw new InvalidDataException($"Checkpoint '{path}' lacks model_stages or epoch.");
                if (step == 0)
                    return new LatestCheckpoint(start, path, checkpoint, null);
                var within = PhaseCheckpoint.WithinEpoch(checkpoint, path)
                    ?? throw new InvalidDataException($"Checkpoint '{path}' is named as taken inside an epoch but does not say where.");
                return new LatestCheckpoint(within.Epoch, path, checkpoint, within.Position);
            }
            catch (InvalidDataException e)
            {
                warn($"Skipping {path}: {e.Message}");
            }
        }
        return null;
    }

    [GeneratedRegex(@"^checkpoint-(\d+)\.pth$")]
    private static partial Regex CheckpointName();

    [GeneratedRegex(@"^checkpoint-(\d+)-step(\d+)\.pth$")]
    private static partial Regex StepCheckpointName();
}
