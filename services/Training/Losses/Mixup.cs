using CloudAssembly.Data;
using CloudAssembly.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Losses;

/// <summary>
/// timm 0.3.2's <c>Mixup</c> in <c>batch</c> mode: per batch, with probability <c>prob</c>, either cutmix
/// (probability <c>switch_prob</c>, λ ~ Beta(α_c, α_c), λ corrected to the clipped box) or mixup (λ ~ Beta(α_m, α_m));
/// the partner of sample i is sample B−1−i (<c>x.flip(0)</c>). Targets are λ·onehot_s(y) + (1−λ)·onehot_s(flip(y)).
/// Images are mixed in place.
/// </summary>
public sealed class Mixup
{
    private readonly MixupOptions options;

    public Mixup(MixupOptions options)
    {
        if (options.Mode != "batch")
            throw new ArgumentException($"--mixup-mode {options.Mode} is not supported; 'batch' (the official default) is.");
        this.options = options;
    }

    /// <summary>Mixes <paramref name="images"/> in place and returns the soft targets and the λ that was used.</summary>
    public (Tensor Targets, double Lambda) Apply(Tensor images, Tensor labels, SampleRandom rng)
    {
        // timm's Mixup asserts an even batch; the official code makes no Mixup at all when mixup and cutmix are off.
        if (options.Active && images.shape[0] % 2 != 0)
            throw new ArgumentException($"Mixup and cutmix pair sample i with sample B-1-i, so they need an even batch: --batch_size is {images.shape[0]}; make it even or turn both off (--mixup 0 --cutmix 0).");
        var (lambda, useCutmix) = SampleParameters(rng);
        if (lambda != 1.0)
        {
            using var _ = no_grad();
            if (useCutmix)
            {
                var box = CutmixBox(images.shape[^2], images.shape[^1], lambda, rng);
                lambda = box.Lambda;
                if (box.Height > 0 && box.Width > 0)
                {
                    using var flipped = images.flip(0);
                    images.narrow(2, box.Top, box.Height).narrow(3, box.Left, box.Width)
                        .copy_(flipped.narrow(2, box.Top, box.Height).narrow(3, box.Left, box.Width));
                }
            }
            else
            {
                MixInPlace(images, lambda);
            }
        }
        return (Targets(labels, lambda), lambda);
    }

    /// <summary>timm's batch-mode mixup: <c>x · λ + x.flip(0) · (1 − λ)</c>, in place.</summary>
    public static void MixInPlace(Tensor images, double lambda)
    {
        using var _ = no_grad();
        using Scalar own = lambda, other = 1.0 - lambda;
        using var partner = images.flip(0).mul_(other);
        images.mul_(own).add_(partner, HeldScalars.One);
    }

    /// <summary>The soft targets for a batch mixed with λ (timm's <c>mixup_target</c>).</summary>
    public Tensor Targets(Tensor labels, double lambda)
    {
        var y1 = SoftTargetCrossEntropy.SmoothedOneHot(labels, options.NumClasses, options.LabelSmoothing);
        if (lambda == 1.0)
            return y1;
        using var flippedLabels = labels.flip(0);
        using var y2 = SoftTargetCrossEntropy.SmoothedOneHot(flippedLabels, options.NumClasses, options.LabelSmoothing);
        using Scalar own = lambda, other = 1.0 - lambda;
        return y1.mul_(own).add_(y2, alpha: other);
    }

    /// <summary><c>_params_per_batch</c>: λ and whether this batch uses cutmix.</summary>
    public (double Lambda, bool UseCutmix) SampleParameters(SampleRandom rng)
    {
        if (!options.Active || !(rng.NextDouble() < options.Prob))
            return (1.0, false);
        var cutmixAlpha = options.CutmixMinMax is null ? options.CutmixAlpha : 1.0;
        if (options.MixupAlpha > 0 && cutmixAlpha > 0)
        {
            var useCutmix = rng.NextDouble() < options.SwitchProb;
            return useCutmix
                ? (rng.Beta(cutmixAlpha, cutmixAlpha), true)
                : (rng.Beta(options.MixupAlpha, options.MixupAlpha), false);
        }
        return options.MixupAlpha > 0
            ? (rng.Beta(options.MixupAlpha, options.MixupAlpha), false)
            : (rng.Beta(cutmixAlpha, cutmixAlpha), true);
    }

    /// <summary>
    /// <c>cutmix_bbox_and_lam</c>: a box of side √(1−λ)·(H, W) centred uniformly (clipped to the image), or with a
    /// min/max ratio a box of random size placed inside; λ is then corrected to 1 − box area / image area.
    /// </summary>
    public CutmixBox CutmixBox(long imageHeight, long imageWidth, double lambda, SampleRandom rng)
    {
        int h = (int)imageHeight, w = (int)imageWidth;
        if (options.CutmixMinMax is not { } mm)
        {
            var cy = rng.NextInt(0, h);
            var cx = rng.NextInt(0, w);
            return Losses.CutmixBox.Centred(h, w, lambda, cy, cx);
        }
        var cutH = rng.NextInt((int)(h * mm.Min), (int)(h * mm.Max));
        var cutW = rng.NextInt((int)(w * mm.Min), (int)(w * mm.Max));
        var top = rng.NextInt(0, h - cutH);
        var left = rng.NextInt(0, w - cutW);
        return Losses.CutmixBox.Corrected(h, w, top, top + cutH, left, left + cutW);
    }
}
