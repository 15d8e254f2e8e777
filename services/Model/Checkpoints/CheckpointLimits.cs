namespace CloudAssembly.Model.Checkpoints;

/// <summary>
/// What a checkpoint may declare before anything is allocated for it. A ViT-H with its optimizer state is about 8 GB
/// in a few thousand tensors and a pickle of well under a megabyte, so these bounds refuse only files no trainer wrote.
/// </summary>
public static class CheckpointLimits
{
    /// <summary>At most this many archive entries (a checkpoint has one per tensor storage, plus a few).</summary>
    public const int MaxEntries = 200_000;

    /// <summary>
    /// At most this large a pickle (the structure alone; tensor bytes live in their own entries). Every pickle opcode
    /// can create an object of tens of bytes, so this also bounds the memory the structure can take.
    /// </summary>
    public const long MaxPickleBytes = 16L << 20;

    /// <summary>At most this many bytes of tensor storage in one checkpoint.</summary>
    public const long MaxTensorBytes = 64L << 30;

    /// <summary>At most this many dimensions in one tensor.</summary>
    public const int MaxDimensions = 32;
}
