using CloudAssembly.Data.Datasets;

namespace CloudAssembly.Training.Tests;

/// <summary>The real Fashion-MNIST from Debian's dataset-fashion-mnist (eng/install-dataset.sh installs it).</summary>
public static class FashionMnist
{
    public static string Path
    {
        get
        {
            var path = DatasetCatalog.DefaultFashionMnistPath;
            if (!File.Exists(System.IO.Path.Combine(path, "train-images-idx3-ubyte.gz")))
                throw new InvalidOperationException($"Fashion-MNIST is not in {path}: run eng/install-dataset.sh.");
            return path;
        }
    }

    /// <summary>A short PT phase of the small ViT with the official augmentation and mixup, on a slice of the data.</summary>
    public static TrainOptions Phase(string outputDir, int epochs, int trainLimit = 512, int evalLimit = 256) => new()
    {
        Phase = Training.Phase.PT,
        Model = "vit_mini_patch4_28",
        Depths = [1, 1, 1, 1],
        InputSize = 28,
        DataSet = "FMNIST",
        DataPath = Path,
        Device = "cpu",
        OutputDir = outputDir,
        Epochs = epochs,
        BatchSize = 64,
        WarmupEpochs = 1,
        DropPath = 0.1,
        TrainLimit = trainLimit,
        EvalLimit = evalLimit,
        NumWorkers = 2,
        RepeatedAug = false,
        Seed = 3,
    };
}
