using static TorchSharp.torch;

namespace CloudAssembly.Training.Loading;

/// <summary>One batch on the training device: images (B, C, S, S) float32 and labels (B) int64.</summary>
public sealed record Batch(int Index, Tensor Images, Tensor Labels) : IDisposable
{
    public long Size => Labels.shape[0];

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
