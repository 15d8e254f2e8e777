using CloudAssembly.Data.Images;

namespace CloudAssembly.Data.Loading;

/// <summary>
/// One sample before decoding: its index in the dataset (which names it in reports and ties the repeated copies of
/// repeated augmentation together), its label, and how to decode it with 1 or 3 channels.
/// </summary>
/// <param name="Decode">Throws <see cref="CorruptImageException"/> when the image cannot be decoded.</param>
public sealed record RawSample(int Index, int Label, Func<int, RgbImage> Decode);
