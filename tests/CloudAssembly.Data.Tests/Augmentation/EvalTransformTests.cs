using CloudAssembly.Data.Augmentation;

namespace CloudAssembly.Data.Tests.Augmentation;

public class EvalTransformTests
{
    [Fact]
    public void Matches_torchvision_resize_centre_crop_and_normalize()
    {
        // torchvision 0.14 + Pillow 9.4: Resize(int(256/224·40) = 45, bicubic), CenterCrop(40), ToTensor, Normalize.
        var transform = new EvalTransform(new AugmentationOptions { InputSize = 40 });
        var sample = new float[transform.SampleLength];
        transform.Apply(TestImages.Pattern(60, 50, 3), sample);

        Assert.Equal(-0.3198048174381256, sample[At(0, 0, 0)]);
        Assert.Equal(1.1330533027648926, sample[At(1, 5, 7)]);
        Assert.Equal(0.3393464684486389, sample[At(2, 39, 39)]);
        Assert.Equal(-0.5938008427619934, sample[At(0, 20, 13)]);
        double[] torchSums = [179.14202514011413, 324.4923792425543, 564.026328921318];
        for (var c = 0; c < 3; c++)
            Assert.Equal(torchSums[c], sample.Skip(c * 1600).Take(1600).Sum(v => (double)v), 6);
    }

    [Fact]
    public void Small_inputs_are_only_normalised()
    {
        var options = new AugmentationOptions { InputSize = 32 };
        var transform = new EvalTransform(options);
        var image = TestImages.Noise(32, 32, 3, seed: 1);
        var sample = new float[transform.SampleLength];
        transform.Apply(image, sample);
        var expected = new float[sample.Length];
        new ImageNormalizer(options.Mean, options.Std).Write(image, expected);
        Assert.Equal(expected, sample);

        var error = Assert.Throws<ArgumentException>(() => transform.Apply(TestImages.Noise(40, 32, 3, seed: 1), sample));
        Assert.Contains("32x32", error.Message);
    }

    [Fact]
    public void An_image_already_at_the_resize_size_is_only_cropped()
    {
        var transform = new EvalTransform(new AugmentationOptions { InputSize = 224 });
        var image = TestImages.Noise(256, 300, 3, seed: 2);
        var sample = new float[transform.SampleLength];
        transform.Apply(image, sample);
        var expected = new float[sample.Length];
        new ImageNormalizer(ImageNormalizer.ImageNetMean, ImageNormalizer.ImageNetStd).Write(image, new CropBox(16, 38, 224, 224), expected);
        Assert.Equal(expected, sample);
    }

    private static int At(int channel, int y, int x) => (channel * 40 + y) * 40 + x;
}
