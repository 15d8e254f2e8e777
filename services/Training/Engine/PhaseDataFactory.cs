using CloudAssembly.Data.Augmentation;
using CloudAssembly.Data.Datasets;
using CloudAssembly.Data.Loading;
using CloudAssembly.Data.Shards;
using CloudAssembly.Model;
using CloudAssembly.Training.Loading;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Engine;

/// <summary>
/// The loaders of DeiT's <c>main.py</c> for a phase: the training split through the training transform with
/// repeated augmentation (or a plain shuffle) and drop_last, the validation split through the evaluation transform
/// in order with batches of 1.5 × batch_size. Folders and IDX files are read by index through a sampler; a SHARDS
/// dataset version is streamed with the same sampling semantics. On W ranks each rank reads its share as the official
/// samplers with <c>num_replicas=W, rank=r</c> do (one permutation for all, strided), and augments with seed + rank.
/// </summary>
public static class PhaseDataFactory
{
    public static PhaseData Create(TrainOptions o, Device device)
    {
        if (DatasetCatalog.IsShards(o.DataSet))
            return Create(o, device, DatasetCatalog.OpenShards(o.DataPath));
        var (train, val) = DatasetCatalog.Open(o.DataSet, o.DataPath);
        return Create(o, device, train, val);
    }

    public static PhaseData Create(TrainOptions o, Device device, IImageDataset train, IImageDataset val)
    {
        train = SubsetDataset.Random(train, o.TrainLimit, o.Seed);
        val = SubsetDataset.Random(val, o.EvalLimit, o.Seed);
        ISampler sampler = o.RepeatedAug
            ? new RepeatedAugmentationSampler(train.Count, o.Seed, replicas: o.WorldSize, rank: o.Rank)
            : new RandomSampler(train.Count, o.Seed, o.WorldSize, o.Rank);
        return Create(o, device, new DatasetSampleSource(train, sampler), new DatasetSampleSource(val, new SequentialSampler(val.Count)), o.DataSet);
    }

    /// <summary>
    /// Streams the version's train split (the first <c>--train-limit</c> samples, which the builder's shuffled order
    /// makes a random subset) and its val split in order; normalisation follows the kind of data it was built from.
    /// </summary>
    public static PhaseData Create(TrainOptions o, Device device, ShardedDataset shards)
    {
        var train = shards.Open("train", new ShardStreamOptions
        {
            Repeats = o.RepeatedAug ? 3 : 1,
            Seed = o.Seed,
            Limit = o.TrainLimit,
            Replicas = o.WorldSize,
            Rank = o.Rank,
        });
        var val = shards.Open("val", ShardStreamOptions.Sequential with { Limit = o.EvalLimit });
        return Create(o, device, train, val, shards.Index.Source.Kind);
    }

    private static PhaseData Create(TrainOptions o, Device device, ISampleSource train, ISampleSource val, string statisticsOf)
    {
        var channels = ModelCatalog.Create(o.Model, train.Classes.Count, [1]).InChannels;
        var (mean, std) = DatasetCatalog.Statistics(statisticsOf, channels);
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
        var workers = CpuThreads.DecodeWorkers(o.NumWorkers);
        var trainLoader = new BatchLoader(train, new TrainTransform(augmentation), shape,
            new LoaderOptions(o.BatchSize, DropLast: true, workers, Prefetch: workers + 2, o.Seed + o.Rank, device));
        var valLoader = new BatchLoader(val, new EvalTransform(augmentation), shape,
            new LoaderOptions((int)(1.5 * o.BatchSize), DropLast: false, workers, Prefetch: workers + 2, o.Seed, device));
        return new PhaseData(trainLoader, valLoader, train.Classes);
    }

    private static T ParseFlag<T>(string value, string flag) where T : struct, Enum =>
        Enum.TryParse<T>(value, ignoreCase: true, out var parsed)
            ? parsed
            : throw new ArgumentException($"{flag} {value} is not one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.");
}
