using CloudAssembly.Data.Augmentation;

namespace CloudAssembly.Data.Tests.Augmentation;

public class GeometryTests
{
    [Fact]
    public void Flip_mirrors_whole_pixels()
    {
        var image = TestImages.Rgb(3, 2, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18);
        HorizontalFlip.Flip(image);
        Assert.Equal([7, 8, 9, 4, 5, 6, 1, 2, 3, 16, 17, 18, 13, 14, 15, 10, 11, 12], image.Pixels);

        var grey = TestImages.Grey(4, 1, 1, 2, 3, 4);
        HorizontalFlip.Flip(grey);
        Assert.Equal([4, 3, 2, 1], grey.Pixels);
    }

    [Fact]
    public void Random_flip_happens_about_half_the_time()
    {
        var flips = 0;
        for (var i = 0; i < 4000; i++)
        {
            var image = TestImages.Grey(2, 1, 1, 2);
            HorizontalFlip.ApplyRandom(image, SampleRandom.For(7, i));
            flips += image.Pixels[0] == 2 ? 1 : 0;
        }
        Assert.InRange(flips, 1800, 2200);
    }

    [Fact]
    public void Crop_reads_zeros_outside_the_image()
    {
        var image = TestImages.Grey(3, 2, 1, 2, 3, 4, 5, 6);
        var crop = ImageCrop.Crop(image, new CropBox(-1, -1, 3, 3));
        Assert.Equal([0, 0, 0, 0, 1, 2, 0, 4, 5], crop.Pixels);
    }

    [Fact]
    public void Padded_crop_stays_within_the_padding()
    {
        var image = TestImages.Pattern(32, 32, 3);
        var crop = new RandomPaddedCrop(32, 4);
        var seenLeft = new HashSet<int>();
        for (var i = 0; i < 2000; i++)
        {
            var box = RandomPaddedCrop.SampleBox(32, 32, 32, 4, SampleRandom.For(1, i));
            Assert.InRange(box.Left, -4, 4);
            Assert.InRange(box.Top, -4, 4);
            seenLeft.Add(box.Left);
        }
        Assert.Equal(9, seenLeft.Count);

        var result = crop.Apply(image, SampleRandom.For(3, 3));
        Assert.Equal(32, result.Width);
        Assert.Equal(32, result.Height);
    }

    [Fact]
    public void Centre_crop_offsets_round_half_to_even_like_torchvision()
    {
        // (W − S) / 2 = 16.5 → 16, 2.5 → 2, 17 → 17, 3.5 → 4, 0.5 → 0.
        Assert.Equal(new CropBox(16, 2, 224, 224), EvalTransform.CenterCropBox(257, 229, 224));
        Assert.Equal(new CropBox(17, 4, 224, 224), EvalTransform.CenterCropBox(258, 231, 224));
        Assert.Equal(new CropBox(0, 0, 224, 224), EvalTransform.CenterCropBox(224, 225, 224));
    }

    [Fact]
    public void Eval_resize_sets_the_shorter_side_and_truncates_the_longer()
    {
        Assert.Equal((341, 256), EvalTransform.ResizedSize(500, 375, 256));
        Assert.Equal((256, 341), EvalTransform.ResizedSize(375, 500, 256));
        Assert.Equal((256, 256), EvalTransform.ResizedSize(300, 300, 256));
        Assert.Equal((54, 45), EvalTransform.ResizedSize(60, 50, 45));
    }
}
