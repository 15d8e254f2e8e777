namespace CloudAssembly.Data.Shards;

/// <summary>
/// What a build did: the committed index, whether the version already existed (then nothing was written), and per
/// shard whether it was uploaded, found intact from an earlier attempt and kept, or found damaged and replaced.
/// </summary>
public sealed record BuildReport(DatasetIndex Index, bool AlreadyExisted, int Uploaded, int Reused, int Replaced, TimeSpan Elapsed)
{
    /// <summary>Source images left out because they could not be decoded, each named with the reason.</summary>
    public IReadOnlyList<SkippedImage> Skipped => Index.Skipped;
}
