using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudAssembly.Contracts;

/// <summary>
/// Everything a Deep Model Assembling run needs, as the seed's three scripts carry it: the target model and its K
/// modules, the dataset, and a recipe per phase (PT on the meta model, MT per module, FT on the assembled model),
/// plus the augmentation shared by all phases and, optionally, an end-to-end baseline trained beside it. The
/// defaults are the official ViT-B recipe on ImageNet: every phase on 8 devices at effective batch 2048 (PT 8 × 256,
/// MT 8 × 128 × 2, FT 8 × 64 × 4); <see cref="OnOneDevice"/> keeps 2048 on one device (256 × 8, 128 × 16, 64 × 32).
/// <see cref="FashionMnistDemo"/> is the small CPU run. A phase recipe given in part takes the rest of its settings
/// from that phase's default; a member no setting has is kept in <see cref="UnknownFields"/> so it is refused by name
/// (<see cref="SpecFields"/>), never dropped.
/// </summary>
public sealed record RunSpec
{
    public string Model { get; init; } = "vit_base_patch16_224";

    /// <summary>Blocks per module in the assembled model; K = its length. The official ViT-B: 3 3 3 3.</summary>
    public IReadOnlyList<int> Depths { get; init; } = [3, 3, 3, 3];

    /// <summary>Blocks per module of the meta model (the official recipe: one each).</summary>
    public IReadOnlyList<int> MetaDepths { get; init; } = [1, 1, 1, 1];

    public string DataSet { get; init; } = OfficialDefaults.DataSet;
    public string DataPath { get; init; } = OfficialDefaults.DataPath;
    public int InputSize { get; init; } = OfficialDefaults.InputSize;

    /// <summary>The dataset version the services build once in blob storage and every phase reads (empty: the data set's name).</summary>
    public string DatasetName { get; init; } = "";

    public string DatasetVersion { get; init; } = "v1";

    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public PhaseRecipe Pretrain { get; init; } = new() { Epochs = 300, BatchSize = 256, DropPath = 0.0, DevicesPerNode = 8 };
    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public PhaseRecipe Modules { get; init; } = new() { Epochs = 100, BatchSize = 128, UpdateFreq = 2, DropPath = 0.1, DevicesPerNode = 8 };
    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public PhaseRecipe Finetune { get; init; } = new() { Epochs = 100, BatchSize = 64, UpdateFreq = 4, DropPath = 0.1, WarmupEpochs = 0, ClipGrad = 1.0, DevicesPerNode = 8 };

    /// <summary>An end-to-end baseline of the full model to train beside the run, or null.</summary>
    public PhaseRecipe? Baseline { get; init; }

    public bool UseAmp { get; init; }
    public double WeightDecay { get; init; } = OfficialDefaults.WeightDecay;
    public double MinLr { get; init; } = OfficialDefaults.MinLr;
    public double WarmupLr { get; init; } = OfficialDefaults.WarmupLr;
    public double Mixup { get; init; } = OfficialDefaults.Mixup;
    public double Cutmix { get; init; } = OfficialDefaults.Cutmix;
    public double Smoothing { get; init; } = OfficialDefaults.Smoothing;
    public string Aa { get; init; } = OfficialDefaults.Aa;
    public double Reprob { get; init; } = OfficialDefaults.Reprob;
    public double ColorJitter { get; init; } = OfficialDefaults.ColorJitter;
    public int CropPadding { get; init; } = OfficialDefaults.CropPadding;
    public bool RepeatedAug { get; init; } = OfficialDefaults.RepeatedAug;
    public int Seed { get; init; }

    /// <summary>Train each phase on a fixed seeded subset of this many samples (0: all).</summary>
    public int TrainLimit { get; init; }

    /// <summary>Evaluate each phase on a fixed seeded subset of this many validation samples (0: all).</summary>
    public int EvalLimit { get; init; }

    public int NumModules => Depths.Count;

    /// <summary>Members of the JSON this spec was read from that no setting has (null: none).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }

    /// <summary>Every phase on one device at the same effective batch (more accumulation steps instead of more ranks).</summary>
    public RunSpec OnOneDevice() => this with
    {
        Pretrain = Pretrain.OnOneDevice(),
        Modules = Modules.OnOneDevice(),
        Finetune = Finetune.OnOneDevice(),
        Baseline = Baseline?.OnOneDevice(),
    };

    /// <summary>
    /// The embedded default: a 4-module, 8-block ViT (dim 64, 7×7 patches: 16 tokens) on all 60,000 Fashion-MNIST images
    /// that runs PT, 4 × MT and FT on two CPU cores in minutes. 7×7 patches learn faster per image than 4×4 on 28×28
    /// clothes and cost a third as much. Mixup, cutmix, RandAugment, colour jitter, erasing and the padded crop are off:
    /// over a few epochs they cost more accuracy than they add. FT gets 7 epochs because the official per-epoch cosine only
    /// anneals over several (with 5 it ended at 87.3%). The per-epoch evaluations use 2,000 test images; the final
    /// evaluation uses all 10,000. The phases themselves are exactly the official ones; FT clips gradients at 1 in fp32, which the
    /// official code does only under AMP.
    /// </summary>
    public static RunSpec FashionMnistDemo() => new()
    {
        Model = "vit_mini_patch7_28",
        Depths = [2, 2, 2, 2],
        MetaDepths = [1, 1, 1, 1],
        DataSet = "FMNIST",
        DataPath = "/usr/share/datasets/fashion-mnist",
        InputSize = 28,
        Pretrain = new() { Epochs = 3, BatchSize = 64, DropPath = 0.0, WarmupEpochs = 0, Lr = 8e-3 },
        Modules = new() { Epochs = 1, BatchSize = 64, DropPath = 0.0, WarmupEpochs = 0, Lr = 8e-3 },
        // fp32 on the CPU, where the official code would not clip: the demo asks for clipping explicitly.
        Finetune = new() { Epochs = 7, BatchSize = 64, DropPath = 0.0, WarmupEpochs = 0, ClipGrad = 1.0, ClipGradInFp32 = true, Lr = 8e-3 },
        Mixup = 0,
        Cutmix = 0,
        Aa = "none",
        ColorJitter = 0,
        CropPadding = 0,
        Reprob = 0,
        RepeatedAug = false,
        EvalLimit = 2_000,
    };
}
