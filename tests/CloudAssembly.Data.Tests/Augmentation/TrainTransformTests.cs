using CloudAssembly.Data.Augmentation;

namespace CloudAssembly.Data.Tests.Augmentation;

public class TrainTransformTests
{
    [Fact]
    public void Same_seed_gives_the_same_sample_and_other_seeds_differ()
    {
        var transform = new TrainTransform(new AugmentationOptions());
        var source = TestImages.Noise(300, 200, 3, seed: 1);
        var original = (byte[])source.Pixels.Clone();
        var samples = new List<float[]>();
        for (var i = 0; i < 12; i++)
        {
            var first = new float[transform.SampleLength];
            var second = new float[transform.SampleLength];
            transform.Apply(source, SampleRandom.For(0, 1, i), first);
            transform.Apply(source, SampleRandom.For(0, 1, i), second);
            Assert.Equal(first, second);
            Assert.True(first.All(float.IsFinite));
            samples.Add(first);
        }
        Assert.Equal(12, samples.Select(s => s.Sum(v => (double)v)).Distinct().Count());
        Assert.Equal(original, source.Pixels);
    }

    [Fact]
    public void Small_inputs_use_a_zero_padded_random_crop()
    {
        var options = new AugmentationOptions { InputSize = 32, AutoAugment = "none", ColorJitter = 0, ReProb = 0, HorizontalFlip = 0 };
        var transform = new TrainTransform(options);
        var normalizer = new ImageNormalizer(options.Mean, options.Std);
        var source = TestImages.Noise(32, 32, 3, seed: 2);
        for (var i = 0; i < 20; i++)
        {
            var sample = new float[transform.SampleLength];
            transform.Apply(source, SampleRandom.For(3, i), sample);
            var box = RandomPaddedCrop.SampleBox(32, 32, 32, 4, SampleRandom.For(3, i));
            var expected = new float[sample.Length];
            normalizer.Write(ImageCrop.Crop(source, box), expected);
            Assert.Equal(expected, sample);
        }
    }

    [Fact]
    public void Grey_images_go_through_the_whole_recipe()
    {
        var transform = new TrainTransform(new AugmentationOptions { Mean = [0.5], Std = [0.5], ReProb = 1 });
        var source = TestImages.Noise(300, 200, 1, seed: 4);
        for (var i = 0; i < 12; i++)
        {
            var sample = new float[transform.SampleLength];
            transform.Apply(source, SampleRandom.For(5, i), sample);
            Assert.Equal(224 * 224, sample.Length);
            Assert.True(sample.All(float.IsFinite));
        }
    }

    [Fact]
    public void Without_augmentation_noise_values_stay_in_the_normalised_byte_range()
    {
        var transform = new TrainTransform(new AugmentationOptions { ReProb = 0 });
        var sample = new float[transform.SampleLength];
        transform.Apply(TestImages.Noise(320, 240, 3, seed: 6), SampleRandom.For(7), sample);
        for (var c = 0; c < 3; c++)
        {
            var low = (0 - ImageNormalizer.ImageNetMean[c]) / ImageNormalizer.ImageNetStd[c];
            var high = (1 - ImageNormalizer.ImageNetMean[c]) / ImageNormalizer.ImageNetStd[c];
            Assert.All(sample.Skip(c * 224 * 224).Take(224 * 224), v => Assert.InRange(v, low - 1e-5, high + 1e-5));
        }
    }

    [Fact]
    public void Mismatched_channels_and_unknown_auto_augment_are_refused()
    {
        var transform = new TrainTransform(new AugmentationOptions());
        var error = Assert.Throws<ArgumentException>(() => transform.Apply(TestImages.Noise(64, 64, 1, seed: 8), SampleRandom.For(9), new float[transform.SampleLength]));
        Assert.Contains("3-channel", error.Message);
        Assert.Throws<ArgumentException>(() => new TrainTransform(new AugmentationOptions { AutoAugment = "rand-m9-q1" }));
    }

    [Fact]
    public void Colour_jitter_factors_stay_within_the_strength()
    {
        var jitter = new ColorJitter(0.4, 0, 0);
        var values = new HashSet<byte>();
        for (var i = 0; i < 500; i++)
        {
            var image = TestImages.Grey(1, 1, 100);
            jitter.Apply(image, SampleRandom.For(10, i));
            values.Add(image.Pixels[0]);
        }
        Assert.All(values, v => Assert.InRange(v, 60, 140));
        Assert.Contains(values, v => v < 70);
        Assert.Contains(values, v => v > 130);
    }

    [Fact]
    public void Benchmark_reports_a_rate()
    {
        Assert.True(AugmentationBenchmark.Run([TestImages.Noise(250, 180, 3, seed: 11)], 3) > 0);
    }
}
