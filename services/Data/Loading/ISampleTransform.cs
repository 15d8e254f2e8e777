using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Loading;

/// <summary>Turns one decoded image into a normalised C×S×S float sample, drawing any randomness from <c>rng</c>.</summary>
public interface ISampleTransform
{
    int Channels { get; }

    int Size { get; }

    void Apply(RgbImage image, SampleRandom rng, Span<float> destination);
}
