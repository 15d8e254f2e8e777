using CloudAssembly.Data.Augmentation;

namespace CloudAssembly.Data.Tests.Augmentation;

public class ImageNormalizerTests
{
    [Fact]
    public void Writes_channel_planes_of_v_over_255_minus_mean_over_std()
    {
        var normalizer = new ImageNormalizer(ImageNormalizer.ImageNetMean, ImageNormalizer.ImageNetStd);
        var image = TestImages.Rgb(2, 1, 0, 255, 128, 10, 20, 30);
        var destination = new float[6];
        normalizer.Write(image, destination);
        float[] expected =
        [
            Torch(0, 0.485f, 0.229f), Torch(10, 0.485f, 0.229f),
            Torch(255, 0.456f, 0.224f), Torch(20, 0.456f, 0.224f),
            Torch(128, 0.406f, 0.225f), Torch(30, 0.406f, 0.225f),
        ];
        Assert.Equal(expected, destination);
        Assert.Equal(-2.117904, destination[0], 6);
        Assert.Equal(2.428571, destination[2], 6);
    }

    [Fact]
    public void Writes_only_the_box()
    {
        var normalizer = new ImageNormalizer([0.5], [0.5]);
        var image = TestImages.Grey(3, 3, 0, 0, 0, 0, 255, 0, 0, 0, 0);
        var destination = new float[1];
        normalizer.Write(image, new CropBox(1, 1, 1, 1), destination);
        Assert.Equal(1f, destination[0]);
    }

    [Fact]
    public void Refuses_mismatched_channels_and_sizes()
    {
        var normalizer = new ImageNormalizer(ImageNormalizer.ImageNetMean, ImageNormalizer.ImageNetStd);
        Assert.Throws<ArgumentException>(() => normalizer.Write(TestImages.Grey(2, 1, 1, 2), new float[2]));
        Assert.Throws<ArgumentException>(() => normalizer.Write(TestImages.Rgb(1, 1, 1, 2, 3), new float[4]));
        Assert.Throws<ArgumentException>(() => new ImageNormalizer([0.5, 0.5], [0.5, 0.5]));
    }

    /// <summary>torchvision in single precision: <c>img.float().div(255)</c>, then <c>sub_(mean).div_(std)</c>.</summary>
    private static float Torch(int value, float mean, float std) => (value / 255f - mean) / std;
}
