using System.CommandLine;
using System.CommandLine.Parsing;
using CloudAssembly.Training;
using CloudAssembly.Training.Distributed;

namespace CloudAssembly.Cli.Commands;

/// <summary>
/// The flags of the official <c>main.py</c>, spelled as it spells them and with its defaults, bound to
/// <see cref="TrainOptions"/>. Flags that only matter for optimizers, schedulers or distillation the official recipe
/// does not use are accepted with their defaults; asking for a non-default value of one is an error, not a silent no-op.
/// </summary>
public sealed class TrainArguments
{
    /// <summary>Every flag that sets a <see cref="TrainOptions"/> value shows that value as its default; the rest are written here once.</summary>
    private static readonly TrainOptions Defaults = new();

    private readonly Option<int> batchSize = Int("--batch_size", Defaults.BatchSize, "Per-device batch size.");
    private readonly Option<int> epochs = Int("--epochs", Defaults.Epochs, "Epochs of this phase.");
    private readonly Option<string> model = Text("--model", Defaults.Model, "Model name (deit_base_patch16_224, vit_base_patch16_224, vit_large_patch16_224, vit_huge_patch14_224, vit_mini_patch4_28, vit_mini_patch7_28, deit_tiny_patch4_32, ...).");
    private readonly Option<int> inputSize = Int("--input-size", Defaults.InputSize, "Image size the model takes.");
    private readonly Option<double> drop = Real("--drop", Defaults.Drop, "Dropout rate (the official recipe uses 0).");
    private readonly Option<double> dropPath = Real("--drop-path", Defaults.DropPath, "Stochastic depth rate, linear over the network being built.");
    private readonly Option<string> opt = Text("--opt", "adamw", "Optimizer (the official recipe: adamw).");
    private readonly Option<double> optEps = Real("--opt-eps", Defaults.OptEps, "AdamW epsilon.");
    private readonly Option<double[]> optBetas = Many<double>("--opt-betas", "AdamW betas (default 0.9 0.999).");
    private readonly Option<double?> clipGrad = new("--clip-grad") { Description = "Clip the gradient norm of the optimized parameters; as in the official code, only with --use_amp 1 (see --clip-grad-fp32)." };
    private readonly Option<bool> clipGradFp32 = Flag("--clip-grad-fp32", "Clip at --clip-grad in fp32 too (the official fp32 path ignores --clip-grad).");
    private readonly Option<double> momentum = Real("--momentum", 0.9, "SGD momentum (unused by AdamW).");
    private readonly Option<double> weightDecay = Real("--weight-decay", Defaults.WeightDecay, "Decoupled weight decay.");
    private readonly Option<string> sched = Text("--sched", "cosine", "LR schedule (the official recipe: cosine).");
    private readonly Option<double> lr = Real("--lr", Defaults.Lr, "Base learning rate per 512 images (scaled by the effective batch).");
    private readonly Option<double[]> lrNoise = Many<double>("--lr-noise", "LR noise epochs (not part of the official recipe).");
    private readonly Option<double> lrNoisePct = Real("--lr-noise-pct", 0.67, "LR noise limit; no effect without --lr-noise.");
    private readonly Option<double> lrNoiseStd = Real("--lr-noise-std", 1.0, "LR noise std-dev; no effect without --lr-noise.");
    private readonly Option<double> warmupLr = Real("--warmup-lr", Defaults.WarmupLr, "Warm-up start lr.");
    private readonly Option<double> minLr = Real("--min-lr", Defaults.MinLr, "Cosine floor.");
    private readonly Option<double> decayEpochs = Real("--decay-epochs", 30, "Step schedule only (unused by cosine).");
    private readonly Option<int> warmupEpochs = Int("--warmup-epochs", Defaults.WarmupEpochs, "Linear warm-up epochs.");
    private readonly Option<int> cooldownEpochs = Int("--cooldown-epochs", 10, "Returned by timm's factory and ignored by the official loop; accepted for compatibility.");
    private readonly Option<int> patienceEpochs = Int("--patience-epochs", 10, "Plateau schedule only (unused by cosine).");
    private readonly Option<double> decayRate = new("--decay-rate", "--dr") { Description = "Step schedule only (unused by cosine).", DefaultValueFactory = _ => 0.1 };
    private readonly Option<double> colorJitter = Real("--color-jitter", Defaults.ColorJitter, "Colour jitter; only used with --aa none.");
    private readonly Option<string> aa = Text("--aa", Defaults.Aa, "Auto-augment policy, or none.");
    private readonly Option<double> smoothing = Real("--smoothing", Defaults.Smoothing, "Label smoothing.");
    private readonly Option<string> trainInterpolation = Text("--train-interpolation", Defaults.TrainInterpolation, "Training resize interpolation.");
    private readonly Option<bool> repeatedAug = Flag("--repeated-aug", "Repeated augmentation (on by default).");
    private readonly Option<bool> noRepeatedAug = Flag("--no-repeated-aug", "Turn repeated augmentation off.");
    private readonly Option<double> reprob = Real("--reprob", Defaults.Reprob, "Random erasing probability.");
    private readonly Option<string> remode = Text("--remode", Defaults.Remode, "Random erasing mode.");
    private readonly Option<int> recount = Int("--recount", Defaults.Recount, "Random erasing count.");
    private readonly Option<int> cropPadding = Int("--crop-padding", Defaults.CropPadding, "Padding of the random crop for inputs of 32 px or less (DeiT: 4).");
    private readonly Option<bool> resplit = Flag("--resplit", "Parsed but unused, as in the official code.");
    private readonly Option<double> mixup = Real("--mixup", Defaults.Mixup, "Mixup alpha (0 disables).");
    private readonly Option<double> cutmix = Real("--cutmix", Defaults.Cutmix, "Cutmix alpha (0 disables).");
    private readonly Option<double[]> cutmixMinMax = Many<double>("--cutmix-minmax", "Cutmix min/max ratio (overrides the alpha).");
    private readonly Option<double> mixupProb = Real("--mixup-prob", Defaults.MixupProb, "Probability of mixing a batch.");
    private readonly Option<double> mixupSwitchProb = Real("--mixup-switch-prob", Defaults.MixupSwitchProb, "Probability of cutmix instead of mixup.");
    private readonly Option<string> mixupMode = Text("--mixup-mode", Defaults.MixupMode, "How mixup parameters are drawn: batch.");
    private readonly Option<string> teacherModel = Text("--teacher-model", "regnety_160", "DeiT leftover (no distillation in Deep Model Assembling).");
    private readonly Option<string> teacherPath = Text("--teacher-path", "", "DeiT leftover.");
    private readonly Option<string> distillationType = Text("--distillation-type", "none", "Only none: these ViTs have no distillation token.");
    private readonly Option<double> distillationAlpha = Real("--distillation-alpha", 0.5, "DeiT leftover.");
    private readonly Option<double> distillationTau = Real("--distillation-tau", 1.0, "DeiT leftover.");
    private readonly Option<string> finetune = Text("--finetune", "", "Initialise from another run's model_stages (pos_embed resized to --input-size), before MT/FT loading.");
    private readonly Option<bool> finetuneNewHead = Flag("--finetune-new-head", "With --finetune from a checkpoint of another class count: train a new head instead of failing.");
    private readonly Option<string> dataPath = Text("--data-path", Defaults.DataPath, "Dataset root: train/ and val/ class folders, or a folder of IDX files.");
    private readonly Option<string> dataSet = Text("--data-set", Defaults.DataSet, "IMNET (or FOLDER: train/ and val/ class folders), FMNIST, MNIST (IDX files), or SHARDS (a dataset version in blob storage: --data-path /abs/folder#name/version or azure://container#name/version).");
    private readonly Option<string> inatCategory = Text("--inat-category", "name", "iNaturalist only.");
    private readonly Option<string> outputDir = Text("--output_dir", Defaults.OutputDir, "Checkpoints and log.txt; also the auto-resume folder.");
    private readonly Option<string> device = Text("--device", Defaults.Device, "cpu, cuda or cuda:N (CUDA never falls back to CPU).");
    private readonly Option<string?> libtorch = new("--libtorch") { Description = "Folder with CUDA libtorch, e.g. an installed PyTorch's torch/lib (or set CLOUDASSEMBLY_LIBTORCH)." };
    private readonly Option<int> seed = Int("--seed", Defaults.Seed, "Random seed.");
    private readonly Option<int> startEpoch = Int("--start_epoch", Defaults.StartEpoch, "First epoch of a fresh run (it trains at the schedule's start lr); auto-resume overrides it, as in the official code.");
    private readonly Option<bool> eval = Flag("--eval", "Only evaluate (the finished or latest checkpoint in --output_dir, or --finetune).");
    private readonly Option<bool> distEval = Flag("--dist-eval", "Accepted for compatibility (one process evaluates the whole set).");
    private readonly Option<int> numWorkers = Int("--num_workers", Defaults.NumWorkers, "Decode and augmentation threads.");
    private readonly Option<bool> pinMem = Flag("--pin-mem", "Pin batch memory for CUDA (on by default).");
    private readonly Option<bool> noPinMem = Flag("--no-pin-mem", "Do not pin batch memory.");
    private readonly Option<int> worldSize = Int("--world_size", Defaults.WorldSize, "Data-parallel ranks over all processes (1 with several --devices: one per device; under torchrun or mpiexec: the launcher's WORLD_SIZE or PMI_SIZE). With W processes: mpiexec -n W (CPU), or --rank/--rendezvous on each (CUDA: NCCL; CPU: all-reduce through the rendezvous store).");
    private readonly Option<int?> rank = new("--rank") { Description = "This process's first rank (default: the launcher's RANK or PMI_RANK, else 0); a process with N --devices holds N ranks." };
    private readonly Option<string> devices = Text("--devices", "", "One rank per device in this process, e.g. 0,1,2,3 (CUDA) or cpu,cpu (threads on the CPU, for testing).");
    private readonly Option<string?> rendezvous = new("--rendezvous") { Description = "A fresh folder every process of one multi-process phase can read and write, where they meet: NCCL's unique id on CUDA, every all-reduce on the CPU." };
    private readonly Option<int> rendezvousTimeout = Int("--rendezvous-timeout", (int)Defaults.RendezvousTimeout.TotalSeconds, "Seconds to wait for every rank to join the rendezvous (and, on the CPU, for another rank's buffer in an all-reduce).");
    private readonly Option<string?> nccl = new("--nccl") { Description = "libnccl.so.2 (or its folder); default: beside --libtorch's PyTorch, else the library path (or set CLOUDASSEMBLY_NCCL)." };
    private readonly Option<string> distUrl = Text("--dist_url", "env://", "Accepted for compatibility.");
    private readonly Option<string> phase = Text("--phase", Defaults.Phase.ToString(), "PT, MT, FT or E2E.");
    private readonly Option<int[]> dividedDepths = Many<int>("--divided_depths", "Depth of each stage (required), e.g. 1 1 1 1 for PT or 3 1 1 1 for MT --idx 0.");
    private readonly Option<int?> idx = new("--idx") { Description = "MT: the module to incubate." };
    private readonly Option<string> metaModel = Text("--meta_model", "", "MT: the PT phase's finished_checkpoint.pth.");
    private readonly Option<string[]> incubationModels = Many<string>("--incubation_models", "FT: the K MT checkpoints, in stage order.");
    private readonly Option<int> updateFreq = Int("--update_freq", Defaults.UpdateFreq, "Gradient accumulation steps.");
    private readonly Option<int> useAmp = Int("--use_amp", Defaults.UseAmp ? 1 : 0, "Non-zero: bf16 compute with fp32 master weights.");
    private readonly Option<int> saveCkptNum = Int("--save_ckpt_num", Defaults.SaveCkptNum, "Epoch checkpoints kept.");
    private readonly Option<int> saveFreq = Int("--save_freq", Defaults.SaveFreq, "As the official code uses it: every epoch is saved and the newest save_ckpt_num x save_freq are kept.");
    private readonly Option<int> trainLimit = Int("--train-limit", Defaults.TrainLimit, "Train on a fixed seeded subset of this many samples (0: all).");
    private readonly Option<int> evalLimit = Int("--eval-limit", Defaults.EvalLimit, "Evaluate on a fixed seeded subset of this many samples (0: all).");

    public IEnumerable<Option> All =>
    [
        batchSize, epochs, model, inputSize, drop, dropPath, opt, optEps, optBetas, clipGrad, clipGradFp32, momentum,
        weightDecay, sched, lr, lrNoise, lrNoisePct, lrNoiseStd, warmupLr, minLr, decayEpochs, warmupEpochs,
        cooldownEpochs, patienceEpochs, decayRate, colorJitter, aa, smoothing, trainInterpolation, repeatedAug,
        noRepeatedAug, reprob, remode, recount, cropPadding, resplit, mixup, cutmix, cutmixMinMax, mixupProb,
        mixupSwitchProb, mixupMode, teacherModel, teacherPath, distillationType, distillationAlpha, distillationTau,
        finetune, finetuneNewHead, dataPath, dataSet, inatCategory, outputDir, device, libtorch, seed, startEpoch,
        eval, distEval, numWorkers, pinMem, noPinMem, worldSize, rank, devices, rendezvous, rendezvousTimeout, nccl, distUrl,
        phase, dividedDepths, idx, metaModel, incubationModels, updateFreq, useAmp, saveCkptNum, saveFreq, trainLimit, evalLimit,
    ];

    public TrainOptions Bind(ParseResult p) => Bind(p, Launcher.FromEnvironment());

    /// <summary>Binds the flags of a process that <paramref name="launcher"/> (or, when null, nobody) started.</summary>
    public TrainOptions Bind(ParseResult p, Launcher? launcher)
    {
        Require(p.GetValue(opt) == "adamw", $"--opt {p.GetValue(opt)} is not supported: the official recipe (and this trainer) uses adamw.");
        Require(p.GetValue(sched) == "cosine", $"--sched {p.GetValue(sched)} is not supported: the official recipe uses cosine.");
        Require(p.GetValue(lrNoise) is not { Length: > 0 }, "--lr-noise is not supported (the official recipe does not use it).");
        Require(p.GetValue(distillationType) == "none", "--distillation-type must be none: these ViTs have no distillation token.");
        Require(p.GetValue(drop) == 0.0, "--drop (dropout) is not supported: the official recipe uses 0.");
        var deviceList = ParseDevices(p.GetValue(devices)!);
        var world = World(p, launcher, deviceList.Length);
        var betas = p.GetValue(optBetas);
        Require(betas is null or { Length: 0 or 2 }, "--opt-betas takes two values, e.g. --opt-betas 0.9 0.999.");
        var minmax = p.GetValue(cutmixMinMax);
        Require(minmax is null or { Length: 0 or 2 }, "--cutmix-minmax takes two values, e.g. --cutmix-minmax 0.2 0.8.");
        var phaseText = p.GetValue(phase)!;
        Require(Enum.TryParse<Phase>(phaseText, ignoreCase: true, out var parsedPhase),
            $"--phase {phaseText} is not a phase: use PT, MT, FT or E2E.");
        return new TrainOptions
        {
            Phase = parsedPhase,
            Model = p.GetValue(model)!,
            Depths = p.GetValue(dividedDepths) ?? [],
            Idx = p.GetValue(idx),
            MetaModel = NullIfEmpty(p.GetValue(metaModel)),
            IncubationModels = p.GetValue(incubationModels) ?? [],
            Finetune = NullIfEmpty(p.GetValue(finetune)),
            FinetuneNewHead = p.GetValue(finetuneNewHead),
            BatchSize = p.GetValue(batchSize),
            UpdateFreq = p.GetValue(updateFreq),
            Epochs = p.GetValue(epochs),
            InputSize = p.GetValue(inputSize),
            Drop = p.GetValue(drop),
            DropPath = p.GetValue(dropPath),
            OptEps = p.GetValue(optEps),
            OptBetas = betas is { Length: 2 } ? (betas[0], betas[1]) : null,
            ClipGrad = p.GetValue(clipGrad),
            ClipGradInFp32 = p.GetValue(clipGradFp32),
            WeightDecay = p.GetValue(weightDecay),
            Lr = p.GetValue(lr),
            WarmupLr = p.GetValue(warmupLr),
            MinLr = p.GetValue(minLr),
            WarmupEpochs = p.GetValue(warmupEpochs),
            ColorJitter = p.GetValue(colorJitter),
            Aa = p.GetValue(aa)!,
            Smoothing = p.GetValue(smoothing),
            TrainInterpolation = p.GetValue(trainInterpolation)!,
            RepeatedAug = !p.GetValue(noRepeatedAug),
            Reprob = p.GetValue(reprob),
            Remode = p.GetValue(remode)!,
            Recount = p.GetValue(recount),
            CropPadding = p.GetValue(cropPadding),
            Mixup = p.GetValue(mixup),
            Cutmix = p.GetValue(cutmix),
            CutmixMinMax = minmax is { Length: 2 } ? (minmax[0], minmax[1]) : null,
            MixupProb = p.GetValue(mixupProb),
            MixupSwitchProb = p.GetValue(mixupSwitchProb),
            MixupMode = p.GetValue(mixupMode)!,
            DataPath = p.GetValue(dataPath)!,
            DataSet = p.GetValue(dataSet)!,
            OutputDir = p.GetValue(outputDir)!,
            Device = deviceList.Length == 1 ? deviceList[0] : LocalDevice(p.GetValue(device)!, launcher),
            LibTorch = p.GetValue(libtorch),
            WorldSize = world,
            Rank = p.GetValue(rank) ?? launcher?.Rank ?? 0,
            Devices = deviceList.Length > 1 ? deviceList : [],
            Rendezvous = p.GetValue(rendezvous),
            RendezvousTimeout = TimeSpan.FromSeconds(p.GetValue(rendezvousTimeout)),
            Nccl = p.GetValue(nccl),
            Seed = p.GetValue(seed),
            Eval = p.GetValue(eval),
            NumWorkers = p.GetValue(numWorkers),
            PinMem = !p.GetValue(noPinMem),
            UseAmp = p.GetValue(useAmp) != 0,
            SaveCkptNum = p.GetValue(saveCkptNum),
            SaveFreq = p.GetValue(saveFreq),
            StartEpoch = p.GetValue(startEpoch),
            TrainLimit = p.GetValue(trainLimit),
            EvalLimit = p.GetValue(evalLimit),
        };
    }

    /// <summary>
    /// The launcher's world size, as the official code takes it from the environment. A <c>--world_size</c> that says
    /// otherwise is refused: the processes could not form that world (with 1, each would train as rank 0 into one
    /// --output_dir).
    /// </summary>
    private int World(ParseResult p, Launcher? launcher, int localDevices)
    {
        var given = p.GetResult(worldSize) is { Implicit: false } ? p.GetValue(worldSize) : (int?)null;
        if (launcher is not null && given is { } w && w != launcher.WorldSize)
            throw new ArgumentException(
                $"--world_size {w} contradicts the {launcher.WorldSize} processes {launcher.Name} started: pass --world_size {launcher.WorldSize} or leave it out.");
        var world = launcher?.WorldSize ?? given ?? Defaults.WorldSize;
        return world == 1 && localDevices > 1 ? localDevices : world;
    }

    /// <summary>Plain <c>cuda</c> under torchrun is the device of the process's LOCAL_RANK, as the official code sets it.</summary>
    private static string LocalDevice(string device, Launcher? launcher) =>
        launcher?.LocalRank is { } local && device.Equals("cuda", StringComparison.OrdinalIgnoreCase) ? $"cuda:{local}" : device;

    private static void Require(bool condition, string message)
    {
        if (!condition)
            throw new ArgumentException(message);
    }

    /// <summary><c>0,1</c> → cuda:0, cuda:1; <c>cpu,cpu</c> stays as written.</summary>
    private static string[] ParseDevices(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(d => int.TryParse(d, out var i) ? $"cuda:{i}" : d)];

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static Option<int> Int(string name, int value, string description) =>
        new(name) { Description = description, DefaultValueFactory = _ => value };

    private static Option<double> Real(string name, double value, string description) =>
        new(name) { Description = description, DefaultValueFactory = _ => value };

    private static Option<string> Text(string name, string value, string description) =>
        new(name) { Description = description, DefaultValueFactory = _ => value };

    private static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    private static Option<T[]> Many<T>(string name, string description) =>
        new(name) { Description = description, AllowMultipleArgumentsPerToken = true, Arity = ArgumentArity.OneOrMore };
}
