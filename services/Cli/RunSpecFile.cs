using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Assembler;

namespace CloudAssembly.Cli;

/// <summary>
/// A run spec as a file: JSON in the RunSpec's camelCase names, with // comments allowed, so the example that
/// <c>cloudassembly spec init</c> writes (the Fashion-MNIST demo, every setting explained) loads as it is. A spec is
/// checked as it loads, by the Assembler's own rules (<see cref="RunSpecRules.Problem"/>): an unknown field is refused
/// with the closest known name before anything is sent; a phase recipe given in part takes the rest from its default.
/// </summary>
public static class RunSpecFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
    };

    private static readonly Dictionary<string, string> Explanations = new()
    {
        ["model"] = "The assembled model: vit_mini_patch4_28 (Fashion-MNIST), deit_tiny_patch4_32, vit_base/large/huge_patch16_224, ...",
        ["depths"] = "Blocks per module of the assembled model; K (the number of modules, trained in parallel) is its length.",
        ["metaDepths"] = "Blocks per module of the meta model that PT trains (the official recipe: one each).",
        ["dataSet"] = "FMNIST, MNIST (IDX files), IMNET or FOLDER (train/ and val/ class folders), or SHARDS (a built dataset version).",
        ["dataPath"] = "Where DataPrep reads the data set: a folder on the DataPrep machine, or the SHARDS location.",
        ["inputSize"] = "Image side in pixels.",
        ["datasetName"] = "Name of the dataset version DataPrep builds once in blob storage (empty: the data set's name).",
        ["datasetVersion"] = "Version of that dataset; a new version builds again.",
        ["pretrain"] = "PT, the meta model: epochs, batch size, gradient accumulation (updateFreq), drop path, warm-up, clipping, lr per 512 images.",
        ["modules"] = "MT, each module in the frozen meta model (the same recipe for every module).",
        ["finetune"] = "FT, the assembled model.",
        ["baseline"] = "An end-to-end baseline of the full model trained beside the run for comparison (a recipe like the ones above), or null.",
        ["useAmp"] = "bf16 matrix products with fp32 master weights (on CUDA).",
        ["weightDecay"] = "AdamW weight decay.",
        ["minLr"] = "Cosine schedule's final lr.",
        ["warmupLr"] = "Warm-up's starting lr.",
        ["mixup"] = "Mixup alpha (0: off).",
        ["cutmix"] = "CutMix alpha (0: off).",
        ["smoothing"] = "Label smoothing.",
        ["aa"] = "RandAugment policy as timm spells it, or none.",
        ["reprob"] = "Random erasing probability.",
        ["colorJitter"] = "Colour jitter strength.",
        ["cropPadding"] = "Padding of the random crop (small images).",
        ["repeatedAug"] = "Repeated augmentation across ranks.",
        ["seed"] = "Random seed.",
        ["trainLimit"] = "Train each phase on a fixed seeded subset of this many images (0: all).",
        ["evalLimit"] = "Evaluate on the first this many validation images (0: all).",
    };

    public static RunSpec Load(FileInfo? file)
    {
        if (file is null)
            return RunSpec.FashionMnistDemo();
        if (!file.Exists)
            throw new FileNotFoundException($"Run spec '{file.FullName}' does not exist: `cloudassembly spec init --out {file.Name}` writes an example to start from.");
        RunSpec spec;
        try
        {
            spec = JsonSerializer.Deserialize<RunSpec>(File.ReadAllText(file.FullName), Json)
                   ?? throw new InvalidDataException($"Run spec '{file.FullName}' is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Run spec '{file.FullName}' is not valid JSON for a RunSpec: {e.Message}");
        }
        if (RunSpecRules.Problem(spec) is { } problem)
            throw new InvalidDataException($"Run spec '{file.FullName}' is refused: {problem}");
        return spec;
    }

    /// <summary>The spec as JSON with a comment above every setting.</summary>
    public static string Commented(RunSpec spec)
    {
        var node = JsonSerializer.SerializeToNode(spec, Json)!.AsObject();
        var text = new StringBuilder();
        text.AppendLine("// A CloudAssembly run spec: `cloudassembly submit --spec run.json` (or `run --spec run.json`).");
        text.AppendLine("// This one is the Fashion-MNIST demo, minutes on two CPU cores; // comments are allowed.");
        text.AppendLine("{");
        var properties = node.ToList();
        for (var i = 0; i < properties.Count; i++)
        {
            var (name, value) = properties[i];
            if (Explanations.TryGetValue(name, out var explanation))
                text.AppendLine($"  // {explanation}");
            var json = value?.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) ?? "null";
            text.AppendLine($"  \"{name}\": {json}{(i < properties.Count - 1 ? "," : "")}");
        }
        text.AppendLine("}");
        return text.ToString();
    }
}
