using CloudAssembly.Data.Augmentation;
using CloudAssembly.Data.Datasets;
using CloudAssembly.Data.Loading;
using CloudAssembly.Training.Engine;
using CloudAssembly.Training.Loading;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Tests;

/// <summary>
/// Fashion-MNIST through the evaluation transform (no random augmentation) and the phase's own sampler share, so that a
/// step's samples, not their augmentation, decide its gradient: W ranks × B and one rank × W·B see the same images.
/// </summary>
public static class UnaugmentedData
{
    public static PhaseData Create(TrainOptions o, Device device)
    {
        var (train, val) = DatasetCatalog.Open("FMNIST", FashionMnist.Path);
        train = SubsetDataset.Random(train, o.TrainLimit, o.Seed);
        val = SubsetDataset.Random(val, o.EvalLimit, o.Seed);
        var (mean, std) = DatasetCatalog.Statistics("FMNIST", 1);
        var transform = new EvalTransform(new AugmentationOptions { InputSize = 28, Mean = mean, Std = std });
        var shape = new SampleShape(1, 28);
        var sampler = new RandomSampler(train.Count, o.Seed, o.WorldSize, o.Rank);
        return new PhaseData(
            new BatchLoader(train, transform, shape, sampler, new LoaderOptions(o.BatchSize, DropLast: true, 1, 2, o.Seed, device)),
            new BatchLoader(val, transform, shape, new SequentialSampler(val.Count), new LoaderOptions(o.BatchSize, DropLast: false, 1, 2, o.Seed, device)),
            train.Classes);
    }
}
