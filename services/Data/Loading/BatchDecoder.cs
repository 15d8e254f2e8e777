using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Loading;

/// <summary>
/// Decodes the samples of one batch. Consecutive copies of one sample (repeated augmentation puts three in a row)
/// share one decode, and a sample found corrupt is not decoded again; the transforms never modify their source.
/// </summary>
internal sealed class BatchDecoder(int channels)
{
    private readonly Dictionary<int, string> corrupt = [];
    private int lastIndex = -1;
    private RgbImage? last;

    /// <summary>The decoded image, or null with the reason (naming the image) when it cannot be decoded.</summary>
    public RgbImage? TryDecode(RawSample sample, out string error)
    {
        error = "";
        if (sample.Index == lastIndex && last is not null)
            return last;
        if (corrupt.TryGetValue(sample.Index, out var known))
        {
            error = known;
            return null;
        }
        try
        {
            last = sample.Decode(channels);
            lastIndex = sample.Index;
            return last;
        }
        catch (CorruptImageException e)
        {
            corrupt[sample.Index] = error = e.Message;
            return null;
        }
    }
}
