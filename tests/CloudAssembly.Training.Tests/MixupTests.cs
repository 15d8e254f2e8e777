using CloudAssembly.Data;
using CloudAssembly.Training.Losses;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Tests;

public class MixupTests
{
    private static Tensor Images() => arange(4 * 1 * 6 * 6, dtype: ScalarType.Float32).reshape(4, 1, 6, 6);

    [Fact]
    public void Smoothed_one_hot_puts_on_and_off_values_as_timm()
    {
        using var t = SoftTargetCrossEntropy.SmoothedOneHot(tensor(new long[] { 2, 0 }), 4, 0.1);
        Assert.Equal(new[] { 0.025f, 0.025f, 0.925f, 0.025f, 0.925f, 0.025f, 0.025f, 0.025f }, t.data<float>().ToArray());
    }

    [Fact]
    public void Mixup_blends_each_sample_with_its_mirror_and_mixes_targets_by_lambda()
    {
        var mixup = new Mixup(new MixupOptions(NumClasses: 3, MixupAlpha: 0.8, CutmixAlpha: 1.0, SwitchProb: 0.0, LabelSmoothing: 0.0));
        var original = Images();
        var images = original.clone();
        var labels = tensor(new long[] { 0, 1, 2, 1 });
        var (targets, lambda) = mixup.Apply(images, labels, new SampleRandom(7));
        Assert.InRange(lambda, 0.0, 1.0);
        Assert.NotEqual(1.0, lambda);
        var expected = original * lambda + original.flip(0) * (1 - lambda);
        Assert.True(allclose(images, expected, rtol: 1e-5, atol: 1e-4));
        // Sample 0 mixes with sample 3 (label 1): λ on class 0, 1 − λ on class 1.
        Assert.Equal(lambda, targets[0, 0].item<float>(), 5);
        Assert.Equal(1 - lambda, targets[0, 1].item<float>(), 5);
        Assert.True(allclose(targets.sum(1), ones(4), atol: 1e-6));
    }

    [Fact]
    public void Cutmix_pastes_the_mirror_box_and_corrects_lambda_to_its_area()
    {
        var options = new MixupOptions(NumClasses: 4, MixupAlpha: 0.8, CutmixAlpha: 1.0, SwitchProb: 1.0, LabelSmoothing: 0.1);
        var mixup = new Mixup(options);
        for (var seed = 1UL; seed < 30; seed++)
        {
            var original = Images();
            var images = original.clone();
            var (lambdaDrawn, useCutmix) = mixup.SampleParameters(new SampleRandom(seed));
            Assert.True(useCutmix);
            var rng = new SampleRandom(seed);
            var (targets, lambda) = mixup.Apply(images, tensor(new long[] { 0, 1, 2, 3 }), rng);
            var replay = new SampleRandom(seed);
            mixup.SampleParameters(replay);
            var box = mixup.CutmixBox(6, 6, lambdaDrawn, replay);
            Assert.Equal(1.0 - box.Height * box.Width / 36.0, lambda, 12);
            var flipped = original.flip(0);
            for (var y = 0; y < 6; y++)
                for (var x = 0; x < 6; x++)
                {
                    var inside = y >= box.Top && y < box.Top + box.Height && x >= box.Left && x < box.Left + box.Width;
                    var source = inside ? flipped : original;
                    Assert.Equal(source[0, 0, y, x].item<float>(), images[0, 0, y, x].item<float>());
                }
            // off = 0.1/4; sample 0 keeps λ of class 0 and gets 1 − λ of class 3 (its mirror).
            Assert.Equal(lambda * 0.925 + (1 - lambda) * 0.025, targets[0, 0].item<float>(), 5);
            Assert.Equal(lambda * 0.025 + (1 - lambda) * 0.925, targets[0, 3].item<float>(), 5);
        }
    }

    [Fact]
    public void Cutmix_box_is_centered_uniformly_and_clipped()
    {
        var mixup = new Mixup(new MixupOptions(NumClasses: 2));
        var rng = new SampleRandom(3);
        for (var i = 0; i < 500; i++)
        {
            var box = mixup.CutmixBox(32, 32, rng.NextDouble(), rng);
            Assert.InRange(box.Top, 0, 32);
            Assert.InRange(box.Top + box.Height, 0, 32);
            Assert.InRange(box.Left + box.Width, 0, 32);
            Assert.InRange(box.Lambda, 0.0, 1.0);
        }
    }

    [Fact]
    public void Odd_batches_are_refused() =>
        Assert.Throws<ArgumentException>(() => new Mixup(new MixupOptions(3)).Apply(zeros(3, 1, 4, 4), tensor(new long[] { 0, 1, 2 }), new SampleRandom(1)));

    [Fact]
    public void Disabled_mixup_gives_smoothed_labels_and_untouched_images()
    {
        var mixup = new Mixup(new MixupOptions(NumClasses: 3, MixupAlpha: 0, CutmixAlpha: 0, LabelSmoothing: 0.1));
        var images = Images();
        var before = images.clone();
        var (targets, lambda) = mixup.Apply(images, tensor(new long[] { 0, 1, 2, 1 }), new SampleRandom(1));
        Assert.Equal(1.0, lambda);
        Assert.True(images.eq(before).all().item<bool>());
        Assert.Equal(0.9 + 0.1 / 3, targets[1, 1].item<float>(), 5);
    }

    [Fact]
    public void An_odd_batch_passes_unmixed_when_mixup_and_cutmix_are_off()
    {
        var mixup = new Mixup(new MixupOptions(NumClasses: 3, MixupAlpha: 0, CutmixAlpha: 0, LabelSmoothing: 0.1));
        var original = Images().narrow(0, 0, 3);
        var images = original.clone();
        var labels = tensor(new long[] { 0, 1, 2 });
        var (targets, lambda) = mixup.Apply(images, labels, new SampleRandom(7));
        Assert.Equal(1.0, lambda);
        Assert.True(images.eq(original).all().item<bool>());
        Assert.True(targets.eq(SoftTargetCrossEntropy.SmoothedOneHot(labels, 3, 0.1)).all().item<bool>());
    }

    [Fact]
    public void An_odd_batch_is_refused_while_mixup_is_on()
    {
        var mixup = new Mixup(new MixupOptions(NumClasses: 3));
        var e = Assert.Throws<ArgumentException>(() => mixup.Apply(Images().narrow(0, 0, 3).clone(), tensor(new long[] { 0, 1, 2 }), new SampleRandom(7)));
        Assert.Contains("--batch_size is 3", e.Message);
    }
}
