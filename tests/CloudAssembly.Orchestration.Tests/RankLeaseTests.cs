using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Storage;

namespace CloudAssembly.Orchestration.Tests;

/// <summary>The leases of a phase on several pods, one per rank slot, on a real folder blob store.</summary>
public sealed class RankLeaseTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"rank-lease-tests-{Guid.NewGuid():N}");
    private readonly LeaseStore leases;

    public RankLeaseTests() => leases = new LeaseStore(new FolderBlobStore(folder));

    private static PhaseLease Slot(int attempt, int node, string trainer) =>
        new($"r.PT.{attempt}", attempt, trainer, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, Node: node);

    [Fact]
    public async Task Each_rank_slot_is_claimed_once_and_a_slot_of_an_older_attempt_is_rejected()
    {
        Assert.NotNull(await leases.TryClaimAsync(BlobLayout.Lease("r", PhaseKey.Pretrain, 0), Slot(1, 0, "t1"), default));
        Assert.NotNull(await leases.TryClaimAsync(BlobLayout.Lease("r", PhaseKey.Pretrain, 1), Slot(1, 1, "t2"), default));
        Assert.Null(await leases.TryClaimAsync(BlobLayout.Lease("r", PhaseKey.Pretrain, 1), Slot(1, 1, "t3"), default));

        // Attempt 2 takes slot 1 over (a replacement pod); the killed attempt's copy of that slot is then refused.
        Assert.NotNull(await leases.TryClaimAsync(BlobLayout.Lease("r", PhaseKey.Pretrain, 1), Slot(2, 1, "t3"), default));
        Assert.Null(await leases.TryClaimAsync(BlobLayout.Lease("r", PhaseKey.Pretrain, 1), Slot(1, 1, "t2"), default));
        Assert.Equal(("r.PT.2", "t3"), ((await leases.TryReadAsync(BlobLayout.Lease("r", PhaseKey.Pretrain, 1), default))!.Value.Lease is var l ? (l.AttemptId, l.Trainer) : default));
        Assert.Equal("r.PT.1", (await leases.TryReadAsync(BlobLayout.Lease("r", PhaseKey.Pretrain, 0), default))!.Value.Lease.AttemptId);
    }

    public void Dispose()
    {
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }
}
