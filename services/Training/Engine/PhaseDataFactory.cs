using CloudAssembly.Data.Augmentation;
using CloudAssembly.Data.Datasets;
using CloudAssembly.Data.Loading;
using CloudAssembly.Model;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Engine;

/// <summary>
/// The loaders of DeiT's <c>main.py</c> for a phase: the training split through the training transform with
/// repeated augmentation (or a plain shuffle) and drop_last, the validation split through the evaluation transform
/// in order with batches of 1.5 × batch_size.
/// </summary>
public static class PhaseDataFactory
{
    public static PhaseData Create(TrainOptions o, Device device)
    {
        var (train, val) = DatasetCatalog.Open(o.DataSet, o.DataPath);
        return Create(o, device, train, val);
    }

    public static PhaseData Create(TrainOptions o, Device device, IImageDataset train, IImageDataset val)
    {
        var channels = ModelCatalog.Create(o.Model, train.Classes.Count, [1]).InChannels;
        train = SubsetDataset.Random(train, o.TrainLimit, o.Seed);
        val = SubsetDataset.First(val, o.EvalLimit);
        var (mean, std) = DatasetCatalog.Statistics(o.DataSet, channels);
        var augmentation = new AugmentationOptions
        {
            InputSize = o.InputSize,
            Mean = mean,
            Std = std,
            Interpolation = ParseFlag<Interpolation>(o.TrainInterpolation, "--train-interpolation"),
            AutoAugment = o.Aa,
            ColorJitter = o.ColorJitter,
            ReProb = o.Reprob,
            ReMode = ParseFlag<ErasingMode>(o.Remode, "--remode"),
            ReCount = o.Recount,
            SmallInputPadding = o.CropPadding,
        };
        var shape = new SampleShape(channels, o.InputSize);
        var workers = Math.Max(1, o.NumWorkers);
        ISampler sampler = o.RepeatedAug
            ? new RepeatedAugmentationSampler(train.Count, o.Seed)
            : new RandomSampler(train.Count, o.Seed);
        var trainLoader = new BatchLoader(train, new TrainTransform(augmentation), shape, sampler,
            new LoaderOptions(o.BatchSize, DropLast: true, workers, Prefetch: workers + 2, o.Seed, device));
        var valLoader = new BatchLoader(val, new EvalTransform(augmentation), shape, new SequentialSampler(val.Count),
            new LoaderOptions((int)(1.5 * o.BatchSize), DropLast: false, workers, Prefetch: workers + 2, o.Seed, device));
        return new PhaseData(trainLoader, valLoader, train.Classes);
    }

    private static T ParseFlag<T>(string value, string flag) where T : struct, Enum =>
        Enum.TryParse<T>(value, ignoreCase: true, out var parsed)
            ? parsed
            : throw new ArgumentException($"{flag} {value} is not one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.");
}
