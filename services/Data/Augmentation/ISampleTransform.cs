using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Augmentation;

/// <summary>Turns a decoded image into one normalised C×S×S sample inside a batch buffer.</summary>
public interface ISampleTransform
{
    /// <summary>Values per sample: channels × size × size.</summary>
    int SampleLength { get; }

    void Apply(RgbImage source, SampleRandom rng, Span<float> destination);
}
