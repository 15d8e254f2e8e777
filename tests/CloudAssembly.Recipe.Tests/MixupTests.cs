using CloudAssembly.Training.Losses;
using static TorchSharp.torch;

namespace CloudAssembly.Recipe.Tests;

/// <summary><c>mixup</c>: timm 0.3.2's <c>mixup_target</c>, <c>cutmix_bbox_and_lam</c> and the batch-mode mix.</summary>
public class MixupTests
{
    private static readonly System.Text.Json.JsonElement Reference = RecipeReference.Section("mixup");

    [Fact]
    public void Soft_targets_match_mixup_target()
    {
        var labels = tensor(Reference.GetProperty("target").Ints().Select(l => (long)l).ToArray());
        var classes = Reference.GetProperty("num_classes").GetInt32();
        foreach (var c in Reference.GetProperty("cases").EnumerateArray())
        {
            var (lambda, smoothing) = (c.GetProperty("lam").GetDouble(), c.GetProperty("smoothing").GetDouble());
            var mixup = new Mixup(new MixupOptions(classes, LabelSmoothing: smoothing));
            using var targets = mixup.Targets(labels, lambda);
            var expected = c.GetProperty("soft_target").EnumerateArray().SelectMany(row => row.Doubles()).ToArray();
            Close.Elements(expected, [.. targets.data<float>().ToArray().Select(t => (double)t)], 1e-6, 1e-9,
                $"λ {lambda}, smoothing {smoothing}");
        }
    }

    [Fact]
    public void Cutmix_box_and_corrected_lambda_match_cutmix_bbox_and_lam()
    {
        foreach (var c in Reference.GetProperty("cutmix_boxes").EnumerateArray())
        {
            var size = c.GetProperty("img_hw").Ints();
            var lambda = c.GetProperty("lam").GetDouble();
            var box = CutmixBox.Centred(size[0], size[1], lambda, c.GetProperty("cy").GetInt32(), c.GetProperty("cx").GetInt32());
            Assert.Equal(c.GetProperty("box_yl_yh_xl_xh").Ints(), new[] { box.Top, box.Top + box.Height, box.Left, box.Left + box.Width });
            Close.Relative(c.GetProperty("lam_corrected").GetDouble(), box.Lambda, 1e-12, $"corrected λ for λ {lambda}");
        }
    }

    [Fact]
    public void Mixed_batch_is_each_image_blended_with_its_mirror()
    {
        var batch = Reference.GetProperty("mixup_batch");
        var shape = batch.GetProperty("shape").Ints().Select(d => (long)d).ToArray();
        using var images = tensor(batch.GetProperty("x").Doubles().Select(v => (float)v).ToArray()).view(shape);
        Mixup.MixInPlace(images, batch.GetProperty("lam").GetDouble());
        Close.Elements(batch.GetProperty("mixed").Doubles(), [.. images.data<float>().ToArray().Select(v => (double)v)], 1e-6, 1e-6,
            "mixed batch");
    }
}
