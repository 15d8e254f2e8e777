using CloudAssembly.Model;
using CloudAssembly.Training.Checkpoints;
using CloudAssembly.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Tests;

/// <summary>Small checkpoints in the official layout, written by our own writer, for the phase tests.</summary>
public static class PhaseFixtures
{
    public const string Model = "vit_mini_patch4_28";

    public static string TempFolder()
    {
        var dir = Path.Combine(Path.GetTempPath(), "cloudassembly-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Saves a freshly initialised model of <paramref name="depths"/> as a finished checkpoint of <paramref name="phase"/>.</summary>
    public static string SaveCheckpoint(string folder, string name, int[] depths, string phase, int? idx, int seed, string model = Model, int classes = 10)
    {
        manual_seed(seed);
        var config = ModelCatalog.Create(model, classes, depths);
        using var network = new VisionTransformer(config);
        var path = Path.Combine(folder, name);
        var schedule = new CosineSchedule(1e-3, 1e-5, 1e-6, 0, 1);
        PhaseCheckpoint.Save(PhaseCheckpoint.Build(network, null, schedule, 0,
            new CheckpointMetadata(model, depths, classes, phase, idx, config.ImageSize)), path);
        return path;
    }

    public static TrainOptions Options(Phase phase, int[] depths) => new()
    {
        Phase = phase,
        Model = Model,
        Depths = depths,
        InputSize = 28,
        Device = "cpu",
        DropPath = 0.1,
    };

    public static Dictionary<string, Tensor> Snapshot(VisionTransformer model) =>
        model.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.detach().clone());
}
