namespace CloudAssembly.Data.Shards;

/// <summary>
/// How a split of a sharded dataset is streamed. Training: shards in a seeded order per epoch, a shuffle buffer,
/// repeated augmentation (<see cref="Repeats"/> 3, DeiT's RASampler: each sample three times in a row, strided across
/// replicas, ⌊N / 256⌋·256 / replicas samples per replica) or, with 1, DeiT's DistributedSampler (⌈N / replicas⌉,
/// padded from the start). Evaluation: <see cref="Sequential"/>, every sample once in index order.
/// </summary>
public sealed record ShardStreamOptions
{
    public bool Shuffle { get; init; } = true;

    public int Repeats { get; init; } = 3;

    public int Replicas { get; init; } = 1;

    public int Rank { get; init; }

    /// <summary>Samples held for the shuffle; they are only offsets into cached shards, so a large buffer costs little memory.</summary>
    public int ShuffleBuffer { get; init; } = 16_384;

    public long Seed { get; init; }

    /// <summary>Read only the first this-many samples of the split (<c>--train-limit</c>, <c>--eval-limit</c>); 0 reads all. Shards are written in a shuffled order, so the first samples are a random subset.</summary>
    public int Limit { get; init; }

    public static ShardStreamOptions Sequential { get; } = new() { Shuffle = false, Repeats = 1 };

    public void Validate()
    {
        if (Repeats < 1)
            throw new ArgumentException($"Repeats must be at least 1, got {Repeats}.");
        if (Replicas < 1 || Rank < 0 || Rank >= Replicas)
            throw new ArgumentException($"Rank {Rank} is outside 0..{Replicas - 1} of {Replicas} replicas.");
        if (ShuffleBuffer < 1)
            throw new ArgumentException($"The shuffle buffer must hold at least 1 sample, got {ShuffleBuffer}.");
        if (Limit < 0)
            throw new ArgumentException($"The sample limit must be 0 (all) or positive, got {Limit}.");
    }
}
