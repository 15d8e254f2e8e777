using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;
using CloudAssembly.Model.Checkpoints;

namespace CloudAssembly.Training.Checkpoints;

/// <summary>
/// A phase's <c>output_dir</c>: <c>checkpoint-{epoch}.pth</c> after every epoch (the last <c>save_ckpt_num ×
/// save_freq</c> kept), <c>finished_checkpoint.pth</c> at the end, and auto-resume from the numerically latest
/// checkpoint that reads back whole, trying older ones as the official code does (which, sorting names as text,
/// would take 99 over 100).
/// </summary>
public sealed partial class CheckpointDirectory(string folder)
{
    public const string FinishedName = "finished_checkpoint.pth";

    public string Folder { get; } = folder;

    public string FinishedPath => Path.Combine(Folder, FinishedName);

    public bool IsFinished => File.Exists(FinishedPath);

    public string EpochPath(int epoch) => Path.Combine(Folder, $"checkpoint-{epoch}.pth");

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
        return path;
    }

    public string SaveFinished(Dictionary<string, object?> checkpoint)
    {
        Directory.CreateDirectory(Folder);
        PhaseCheckpoint.Save(checkpoint, FinishedPath);
        return FinishedPath;
    }

    /// <summary>
    /// The newest epoch checkpoint that reads back completely, or null. Unreadable ones (a truncated upload, a crash
    /// on a file system without atomic rename) are skipped, each with a warning.
    /// </summary>
    public (int Epoch, string Path, Hashtable Checkpoint)? LatestReadable(Action<string> warn)
    {
        foreach (var (epoch, path) in EpochCheckpoints())
        {
            try
            {
                var checkpoint = TorchLoadReader.Read(path);
                if (checkpoint["model_stages"] is null || checkpoint["epoch"] is null)
                    throw new InvalidDataException($"Checkpoint '{path}' lacks model_stages or epoch.");
                return (epoch, path, checkpoint);
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
}
