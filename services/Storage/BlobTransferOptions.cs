namespace CloudAssembly.Storage;

/// <summary>
/// How large files move: in blocks of <see cref="BlockSize"/> bytes, <see cref="Concurrency"/> at a time, so memory stays
/// near BlockSize × Concurrency whatever the file size.
/// </summary>
public sealed record BlobTransferOptions(int BlockSize = 8 * 1024 * 1024, int Concurrency = 8)
{
    public static BlobTransferOptions Default { get; } = new();

    public void Validate()
    {
        if (BlockSize < 64 * 1024 || BlockSize > 256 * 1024 * 1024)
            throw new ArgumentOutOfRangeException(nameof(BlockSize), BlockSize, "Block size must be between 64 KiB and 256 MiB.");
        if (Concurrency < 1 || Concurrency > 64)
            throw new ArgumentOutOfRangeException(nameof(Concurrency), Concurrency, "Concurrency must be between 1 and 64.");
    }
}
