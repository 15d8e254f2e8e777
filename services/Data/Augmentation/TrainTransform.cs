using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Augmentation;

/// <summary>
/// DeiT's training transform (timm 0.3.2 <c>transforms_imagenet_train</c>): random resized crop (or, for small
/// inputs, a padded random crop), horizontal flip, RandAugment (or colour jitter when auto-augment is off),
/// normalisation, random erasing. Every draw comes from the sample's own generator, so a sample's result depends
/// only on (seed, epoch, index). Safe to share between threads.
/// </summary>
public sealed class TrainTransform : ISampleTransform
{
    private readonly RandomResizedCrop? resizedCrop;
    private readonly RandomPaddedCrop? paddedCrop;
    private readonly RandAugment? randAugment;
    private readonly ColorJitter? colorJitter;
    private readonly ImageNormalizer normalizer;
    private readonly RandomErasing? erasing;

    public TrainTransform(AugmentationOptions options)
    {
        Options = options;
        if (options.IsSmallInput)
            paddedCrop = new RandomPaddedCrop(options.InputSize, options.SmallInputPadding);
        else
            resizedCrop = new RandomResizedCrop(options.InputSize, options.Scale, options.Ratio, options.Interpolation);
        normalizer = new ImageNormalizer(options.Mean, options.Std);
        if (options.RandAugment is { } config)
        {
            var parameters = new RandAugmentParameters
            {
                Fill = RandAugmentParameters.FillFor(options.Mean),
                Interpolation = options.Interpolation,
            };
            randAugment = new RandAugment(config, parameters);
        }
        else if (options.ColorJitter > 0)
        {
            colorJitter = new ColorJitter(options.ColorJitter, options.ColorJitter, options.ColorJitter);
        }
        if (options.ReProb > 0)
            erasing = new RandomErasing(options.ReProb, options.ReMode, 1, options.ReCount);
    }

    public AugmentationOptions Options { get; }

    /// <summary>Values per sample: channels × size × size.</summary>
    public int SampleLength => normalizer.Channels * Options.InputSize * Options.InputSize;

    /// <summary>Writes one normalised C×S×S sample; <paramref name="source"/> is not modified.</summary>
    public void Apply(RgbImage source, SampleRandom rng, Span<float> destination)
    {
        if (source.Channels != normalizer.Channels)
            throw new ArgumentException($"The transform is set up for {normalizer.Channels}-channel images but got {source.Channels} channels; convert the image or set Mean and Std for {source.Channels} channels.", nameof(source));
        var image = resizedCrop is not null ? resizedCrop.Apply(source, rng) : paddedCrop!.Apply(source, rng);
        HorizontalFlip.ApplyRandom(image, rng, Options.HorizontalFlip);
        if (randAugment is not null)
            image = randAugment.Apply(image, rng);
        else
            colorJitter?.Apply(image, rng);
        normalizer.Write(image, destination);
        var size = Options.InputSize;
        erasing?.Apply(destination, normalizer.Channels, size, size, rng);
    }
}
