using System.Collections;
using CloudAssembly.Model;
using CloudAssembly.Model.Checkpoints;
using CloudAssembly.Training.Engine;
using CloudAssembly.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Checkpoints;

/// <summary>
/// A checkpoint in the official layout (method.md §4.6): <c>model</c> (every tensor under its plain name and again
/// under its <c>stages.i.</c> alias), <c>model_stages</c> (the K stage dicts with local names: the format every
/// phase hands to the next), <c>optimizer</c> (PyTorch's optimizer state_dict), <c>lr_scheduler</c>, <c>epoch</c>,
/// <c>scaler</c>, plus <c>rng_state</c> (the phase's own generator's, else the global one) and our
/// <see cref="CheckpointMetadata"/>.
/// </summary>
public static class PhaseCheckpoint
{
    public static Dictionary<string, object?> Build(VisionTransformer model, FlatAdamW? optimizer, CosineSchedule schedule,
        int epoch, CheckpointMetadata metadata, Generator? random = null)
    {
        var full = new Dictionary<string, object?>();
        foreach (var (name, p) in model.NamedParameters())
            full[name] = p.detach();
        var stages = new List<object?>();
        foreach (var stage in model.Stages)
        {
            var dict = new Dictionary<string, object?>();
            foreach (var (name, p) in stage.NamedParameters())
            {
                dict[name] = p.detach();
                full[$"stages.{stage.Index}.{name}"] = p.detach();
            }
            stages.Add(dict);
        }
        return new Dictionary<string, object?>
        {
            ["model"] = full,
            ["model_stages"] = stages,
            ["optimizer"] = optimizer?.StateDict(),
            ["lr_scheduler"] = SchedulerState(schedule, epoch),
            ["epoch"] = epoch,
            ["scaler"] = new Dictionary<string, object?>(),
            ["rng_state"] = random?.get_state() ?? torch.random.get_rng_state(),
            [CheckpointMetadata.Key] = metadata.ToPickle(),
        };
    }

    /// <summary>
    /// A checkpoint taken inside epoch <paramref name="epoch"/> after <see cref="EpochPosition.Step"/> steps (a
    /// preemption): the official keys as of the last finished epoch (<c>epoch</c> = <paramref name="epoch"/> − 1, so
    /// main.py's resume, were it to read the file, would redo this epoch rather than skip its rest), the weights,
    /// optimizer state and drop-path generator as they are now, and where in the epoch it stopped: <c>resume_epoch</c>,
    /// <c>resume_step</c> and the epoch's running train-loss sum, micro-batches, images and seconds. On W ranks,
    /// <paramref name="rankRandom"/> holds every rank's drop-path generator state (row r is rank r's), so that each
    /// rank resumes drawing its own masks.
    /// </summary>
    public static Dictionary<string, object?> BuildWithinEpoch(VisionTransformer model, FlatAdamW optimizer, CosineSchedule schedule,
        int epoch, EpochPosition position, CheckpointMetadata metadata, Generator random, Tensor? rankRandom = null)
    {
        var checkpoint = Build(model, optimizer, schedule, epoch - 1, metadata, random);
        checkpoint[ResumeEpochKey] = epoch;
        checkpoint[ResumeStepKey] = position.Step;
        checkpoint["train_loss_sum"] = position.LossSum;
        checkpoint["train_micro_batches"] = position.MicroBatches;
        checkpoint["train_images"] = position.Images;
        checkpoint["train_seconds"] = position.Seconds;
        if (rankRandom is not null)
            checkpoint[RankRandomKey] = rankRandom;
        return checkpoint;
    }

    private const string RankRandomKey = "rank_rng_states";

    /// <summary>
    /// The drop-path generator state rank <paramref name="rank"/> of <paramref name="worldSize"/> goes on from inside an
    /// epoch: its own row of the checkpoint's per-rank states when the same number of ranks saved it, else the
    /// <c>rng_state</c> rank 0 saved (a single-rank checkpoint, or one resumed on another world size). The row is a copy:
    /// libtorch's <c>set_state</c> refused rank 1's row as a view of the saved rows ("Invalid mt19937 state").
    /// </summary>
    public static Tensor? RandomStateFor(Hashtable checkpoint, int rank, int worldSize) =>
        checkpoint[RankRandomKey] is Tensor { shape: [var saved, _] } rows && saved == worldSize ? rows[rank].clone() : checkpoint["rng_state"] as Tensor;

    private const string ResumeEpochKey = "resume_epoch";
    private const string ResumeStepKey = "resume_step";

    /// <summary>The epoch and position a checkpoint taken inside an epoch resumes at, or null for an epoch checkpoint.</summary>
    public static (int Epoch, EpochPosition Position)? WithinEpoch(Hashtable checkpoint, string source)
    {
        if (checkpoint[ResumeStepKey] is null)
            return null;
        try
        {
            return (Convert.ToInt32(checkpoint[ResumeEpochKey]), new EpochPosition(Convert.ToInt32(checkpoint[ResumeStepKey]),
                Convert.ToDouble(checkpoint["train_loss_sum"]), Convert.ToInt32(checkpoint["train_micro_batches"]),
                Convert.ToInt64(checkpoint["train_images"]), Convert.ToDouble(checkpoint["train_seconds"])));
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
        {
            throw new InvalidDataException($"Checkpoint '{source}' was taken inside an epoch but does not say where: {e.Message}", e);
        }
    }

    /// <summary>
    /// Writes <paramref name="checkpoint"/> to <paramref name="path"/> so that the file appears whole or not at all:
    /// a temporary file in the same folder, flushed to disk, then renamed.
    /// </summary>
    public static void Save(Dictionary<string, object?> checkpoint, string path)
    {
        var temp = path + ".partial";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            TorchSaveWriter.Save(checkpoint, file);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The K stage state dicts of a checkpoint (ours or official).</summary>
    public static IReadOnlyList<Dictionary<string, Tensor>> Stages(Hashtable checkpoint, string source)
    {
        if (checkpoint["model_stages"] is not IList list || list.Count == 0)
            throw new InvalidDataException($"Checkpoint '{source}' has no model_stages (is it a Deep Model Assembling checkpoint?).");
        return [.. list.Cast<object?>().Select((s, i) => TorchLoadReader.StateDict(s, $"model_stages[{i}] of '{source}'"))];
    }

    public static void LoadAllStages(VisionTransformer model, Hashtable checkpoint, string source)
    {
        var stages = Stages(checkpoint, source);
        if (stages.Count != model.Stages.Count)
            throw new CheckpointMismatchException(
                $"Checkpoint '{source}' has {stages.Count} stages but the model has {model.Stages.Count} (--divided_depths {model.Config.DepthsText}).");
        for (var i = 0; i < stages.Count; i++)
            model.Stages[i].LoadStateDict(stages[i], $"'{source}'");
    }

    public static int Epoch(Hashtable checkpoint) => Convert.ToInt32(checkpoint["epoch"]);

    private static Dictionary<string, object?> SchedulerState(CosineSchedule s, int epoch) => new()
    {
        ["sched"] = "cosine",
        ["t_initial"] = s.Epochs,
        ["lr_min"] = s.MinLr,
        ["warmup_t"] = s.WarmupEpochs,
        ["warmup_lr_init"] = s.WarmupLr,
        ["warmup_prefix"] = false,
        ["t_in_epochs"] = true,
        ["base_values"] = new List<object?> { s.BaseLr, s.BaseLr },
        ["last_epoch"] = epoch,
    };
}
