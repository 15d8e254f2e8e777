using CloudAssembly.Data.Loading;
using CloudAssembly.Model;
using CloudAssembly.Training.Loading;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace CloudAssembly.Training.Engine;

/// <summary>
/// The official <c>evaluate</c>: plain cross-entropy and top-1/top-5 over the whole validation loader. Accuracy is
/// weighted by images; the loss, as the official <c>MetricLogger</c> averages it (<c>update(loss=...)</c> with n = 1),
/// is the mean of the per-batch mean losses, so a short last batch counts as much as a full one.
/// </summary>
public static class Evaluator
{
    public static EvalResult Evaluate(VisionTransformer model, BatchLoader loader, CancellationToken cancellation = default)
    {
        model.eval();
        using var _ = no_grad();
        var k = Math.Min(5, model.Config.NumClasses);
        var device = model.parameters().First().device;
        using var lossSum = zeros(1, dtype: ScalarType.Float64, device: device);
        using var top1 = zeros(1, dtype: ScalarType.Float64, device: device);
        using var top5 = zeros(1, dtype: ScalarType.Float64, device: device);
        long images = 0;
        var batches = 0;
        foreach (var batch in loader.Epoch(0, cancellation))
        {
            using var b = batch;
            using var scope = NewDisposeScope();
            var logits = model.call(b.Images);
            var loss = F.cross_entropy(logits, b.Labels);
            var predicted = logits.topk(k, dim: 1).indexes;
            var correct = predicted.eq(b.Labels.unsqueeze(1));
            top1.add_(correct.narrow(1, 0, 1).sum(), HeldScalars.One);
            top5.add_(correct.sum(), HeldScalars.One);
            lossSum.add_(loss, HeldScalars.One);
            images += b.Size;
            batches++;
        }
        if (images == 0)
            throw new InvalidOperationException($"The validation set of {loader.Dataset.Source} is empty.");
        return new EvalResult(100.0 * top1.item<double>() / images, 100.0 * top5.item<double>() / images,
            lossSum.item<double>() / batches, images);
    }
}
