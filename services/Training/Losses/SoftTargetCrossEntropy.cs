using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace CloudAssembly.Training.Losses;

/// <summary>timm's <c>SoftTargetCrossEntropy</c>: mean over the batch of Σ −target · log_softmax(logits).</summary>
public static class SoftTargetCrossEntropy
{
    public static Tensor Loss(Tensor logits, Tensor targets) =>
        (-targets * F.log_softmax(logits.to(ScalarType.Float32), dim: -1)).sum(dim: -1).mean();

    /// <summary>One-hot targets with label smoothing: on = 1 − s + s/C, off = s/C (timm's <c>one_hot</c>).</summary>
    public static Tensor SmoothedOneHot(Tensor labels, int numClasses, double smoothing)
    {
        var off = smoothing / numClasses;
        var on = 1.0 - smoothing + off;
        using Scalar onValue = on, offValue = off;
        using var index = labels.unsqueeze(1);
        using var onValues = full(labels.shape[0], 1, onValue, dtype: ScalarType.Float32, device: labels.device);
        return full(labels.shape[0], numClasses, offValue, dtype: ScalarType.Float32, device: labels.device).scatter_(1, index, onValues);
    }
}
