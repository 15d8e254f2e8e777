using TorchSharp;
using static TorchSharp.torch;

namespace CloudAssembly.Model;

/// <summary>
/// timm's <c>trunc_normal_</c> (PyTorch's algorithm: inverse CDF of a uniform draw between the bounds' CDF values,
/// then clamped). TorchSharp 0.107's <c>nn.init.trunc_normal_</c> fills the tensor with the std instead of sampling,
/// so we do not use it. The draw comes from <paramref name="generator"/> when given (a phase's own), else the global one.
/// </summary>
public static class TruncatedNormal
{
    public static void Fill(Tensor tensor, double std, Generator? generator = null, double mean = 0.0, double a = -2.0, double b = 2.0)
    {
        using var _ = no_grad();
        var low = NormalCdf((a - mean) / std);
        var high = NormalCdf((b - mean) / std);
        tensor.uniform_(2 * low - 1, 2 * high - 1, generator);
        tensor.erfinv_();
        using Scalar scale = std * Math.Sqrt(2.0), shift = mean, min = a, max = b;
        tensor.mul_(scale);
        tensor.add_(shift, HeldScalars.One);
        tensor.clamp_(min, max);
    }

    private static double NormalCdf(double x) => 0.5 * (1.0 + Erf(x / Math.Sqrt(2.0)));

    // Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), exact at the bounds that matter here (±100σ → 0 and 1).
    private static double Erf(double x)
    {
        var sign = Math.Sign(x);
        x = Math.Abs(x);
        var t = 1.0 / (1.0 + 0.3275911 * x);
        var y = 1.0 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return sign * y;
    }
}
