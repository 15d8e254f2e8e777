using CloudAssembly.Contracts;

namespace CloudAssembly.Training;

/// <summary>
/// One phase's settings, with the official <c>main.py</c> defaults (method.md §5). The command line spells each as
/// the official flag (<c>--batch_size</c>, <c>--drop-path</c>, <c>--divided_depths</c>, ...), so the seed's scripts
/// port line by line.
/// </summary>
public sealed record TrainOptions
{
    public Phase Phase { get; init; } = Phase.E2E;
    public string Model { get; init; } = "deit_base_patch16_224";
    /// <summary>Blocks of each stage (module), the official <c>--divided_depths</c>; K = its length.</summary>
    public IReadOnlyList<int> Depths { get; init; } = [];
    public int? Idx { get; init; }
    public string? MetaModel { get; init; }
    public IReadOnlyList<string> IncubationModels { get; init; } = [];

    /// <summary>
    /// FT from a model already assembled (a checkpoint holding every stage, as the Assembler writes it) instead of from
    /// the K MT checkpoints: the same network, read from one file.
    /// </summary>
    public string? AssembledModel { get; init; }
    public string? Finetune { get; init; }

    /// <summary>
    /// <c>--finetune</c> from a checkpoint whose head has another number of classes: train a new head instead of
    /// failing (the official strict load fails on the size mismatch).
    /// </summary>
    public bool FinetuneNewHead { get; init; }

    public int BatchSize { get; init; } = 64;
    public int UpdateFreq { get; init; } = OfficialDefaults.UpdateFreq;
    public int Epochs { get; init; } = 300;
    public int InputSize { get; init; } = OfficialDefaults.InputSize;
    public double Drop { get; init; }
    public double DropPath { get; init; } = 0.1;

    public double OptEps { get; init; } = 1e-8;
    public (double Beta1, double Beta2)? OptBetas { get; init; }
    public double? ClipGrad { get; init; }

    /// <summary>
    /// Clip at <see cref="ClipGrad"/> in fp32 too. The official code clips only in its AMP branch (its fp32 branch
    /// ignores <c>--clip-grad</c>), so without this flag neither do we: the official FT script's <c>--clip-grad 1</c>
    /// acts only with <c>--use_amp 1</c>.
    /// </summary>
    public bool ClipGradInFp32 { get; init; }
    public double WeightDecay { get; init; } = OfficialDefaults.WeightDecay;
    public double Lr { get; init; } = OfficialDefaults.Lr;
    public double WarmupLr { get; init; } = OfficialDefaults.WarmupLr;
    public double MinLr { get; init; } = OfficialDefaults.MinLr;
    public int WarmupEpochs { get; init; } = OfficialDefaults.WarmupEpochs;

    public double ColorJitter { get; init; } = OfficialDefaults.ColorJitter;
    public string Aa { get; init; } = OfficialDefaults.Aa;
    public double Smoothing { get; init; } = OfficialDefaults.Smoothing;
    public string TrainInterpolation { get; init; } = "bicubic";
    public bool RepeatedAug { get; init; } = OfficialDefaults.RepeatedAug;
    public double Reprob { get; init; } = OfficialDefaults.Reprob;

    /// <summary>Padding of the small-input (≤ 32 px) RandomCrop; DeiT fixes it at 4.</summary>
    public int CropPadding { get; init; } = OfficialDefaults.CropPadding;
    public string Remode { get; init; } = "pixel";
    public int Recount { get; init; } = 1;
    public double Mixup { get; init; } = OfficialDefaults.Mixup;
    public double Cutmix { get; init; } = OfficialDefaults.Cutmix;
    public (double Min, double Max)? CutmixMinMax { get; init; }
    public double MixupProb { get; init; } = 1.0;
    public double MixupSwitchProb { get; init; } = 0.5;
    public string MixupMode { get; init; } = "batch";

    public string DataPath { get; init; } = OfficialDefaults.DataPath;
    public string DataSet { get; init; } = OfficialDefaults.DataSet;
    public string OutputDir { get; init; } = ".";
    public string Device { get; init; } = "cuda";
    public string? LibTorch { get; init; }
    public int Seed { get; init; }
    public bool Eval { get; init; }
    public int NumWorkers { get; init; } = 10;
    public bool PinMem { get; init; } = true;
    public bool UseAmp { get; init; }
    public int SaveCkptNum { get; init; } = 2;

    /// <summary>
    /// As the official code uses it: every epoch is still saved, and the checkpoint of epoch e − save_ckpt_num ×
    /// save_freq is deleted, so the newest save_ckpt_num × save_freq epoch checkpoints are kept.
    /// </summary>
    public int SaveFreq { get; init; } = 1;

    /// <summary>The first epoch of a fresh run (auto-resume overrides it, as in the official loop).</summary>
    public int StartEpoch { get; init; }

    /// <summary>Train on this many samples (a fixed seeded subset) instead of the whole training split; 0 = all.</summary>
    public int TrainLimit { get; init; }

    /// <summary>
    /// Evaluate on this many samples (a fixed seeded subset: a validation folder sorted by class makes "the first N" a
    /// biased sample) instead of the whole validation split; 0 = all.
    /// </summary>
    public int EvalLimit { get; init; }

    /// <summary>Evaluate the network once before the first epoch (FT: the assembled model as it comes out of assembly).</summary>
    public bool EvaluateBeforeTraining { get; init; }

    /// <summary>Ranks of the data-parallel phase, over every process (official <c>--world_size</c>); each reads 1/W of an epoch.</summary>
    public int WorldSize { get; init; } = 1;

    /// <summary>This process's first rank; a process with several <see cref="Devices"/> holds ranks Rank .. Rank + Devices − 1.</summary>
    public int Rank { get; init; }

    /// <summary>One rank per entry, each on its own thread and replica (<c>--devices 0,1</c> or <c>cpu,cpu</c>); empty: one rank on <see cref="Device"/>.</summary>
    public IReadOnlyList<string> Devices { get; init; } = [];

    /// <summary>The folder where the ranks of several processes meet (<c>--rendezvous</c>; NCCL's unique id); MPI ranks need none.</summary>
    public string? Rendezvous { get; init; }

    /// <summary>How long ranks wait at the rendezvous for all W to join (<c>--rendezvous-timeout</c>).</summary>
    public TimeSpan RendezvousTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>libnccl.so.2 to load (<c>--nccl</c>); by default looked up beside the libtorch folder, then on the library path.</summary>
    public string? Nccl { get; init; }

    /// <summary>Samples per optimizer step over all ranks: W × batch × update_freq (lr scaling, epoch length, the log).</summary>
    public int EffectiveBatch => BatchSize * UpdateFreq * WorldSize;

    /// <summary>The norm each optimizer step clips at: <c>--clip-grad</c> under AMP, or in fp32 when asked; otherwise none.</summary>
    public double? StepClipNorm => UseAmp || ClipGradInFp32 ? ClipGrad : null;

    public string DepthsText() => string.Join(' ', Depths);
}
