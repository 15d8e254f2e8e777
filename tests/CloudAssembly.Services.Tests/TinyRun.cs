using CloudAssembly.Contracts;

namespace CloudAssembly.Services.Tests;

/// <summary>A Fashion-MNIST run small enough for CI: the demo's model and recipe on a few hundred images per phase.</summary>
public static class TinyRun
{
    public static RunSpec Spec(int moduleEpochs = 1) => RunSpec.FashionMnistDemo() with
    {
        Pretrain = RunSpec.FashionMnistDemo().Pretrain with { Epochs = 1 },
        Modules = RunSpec.FashionMnistDemo().Modules with { Epochs = moduleEpochs },
        Finetune = RunSpec.FashionMnistDemo().Finetune with { Epochs = 1 },
        TrainLimit = 768,
        EvalLimit = 256,
    };

    /// <summary>Smaller still for the fault tests: two modules (one per trainer) and four steps an epoch.</summary>
    public static RunSpec Fast(int moduleEpochs = 1) => Spec(moduleEpochs) with
    {
        Depths = [4, 4],
        MetaDepths = [1, 1],
        TrainLimit = 256,
        EvalLimit = 128,
    };
}
