namespace CloudAssembly.Data.Shards;

/// <summary>
/// How a dataset version is cut and encoded. <see cref="ResizeShorterSide"/> null keeps the source bytes; otherwise
/// images are pre-resized and re-encoded as JPEG at <see cref="JpegQuality"/>, which makes every later decode cheaper.
/// </summary>
public sealed record ShardOptions
{
    public const long DefaultShardBytes = 128L * 1024 * 1024;

    /// <summary>A shard is closed before the sample that would take it past this size (a single larger sample gets a shard of its own).</summary>
    public long ShardBytes { get; init; } = DefaultShardBytes;

    public int? ResizeShorterSide { get; init; }

    public int JpegQuality { get; init; } = 90;

    /// <summary>Encoding threads; the output does not depend on it.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Samples are written in a seeded shuffle of each split, so every shard mixes all classes (a shuffle buffer only mixes nearby samples).</summary>
    public int OrderSeed { get; init; }

    /// <summary>Where shards are assembled before upload; the system temp folder when null.</summary>
    public string? WorkFolder { get; init; }

    public void Validate()
    {
        if (ShardBytes < 64 * 1024)
            throw new ArgumentException($"A shard size of {ShardBytes} bytes is too small; use at least 64 KiB (the default is 128 MiB).");
        if (ResizeShorterSide is < 8)
            throw new ArgumentException($"--resize {ResizeShorterSide} is too small; the shorter side must stay at least 8 px.");
        if (JpegQuality is < 1 or > 100)
            throw new ArgumentException($"--quality {JpegQuality} is outside 1..100.");
        if (Workers < 1)
            throw new ArgumentException($"--workers {Workers} must be at least 1.");
    }
}
