using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Storage;

namespace CloudAssembly.Orchestration.Tests;

/// <summary>Lease renewal on a real folder blob store (the same compare-and-swap contract as Azure's).</summary>
public sealed class LeaseStoreTests : IDisposable
{
    private static readonly DateTimeOffset Claimed = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"lease-tests-{Guid.NewGuid():N}");
    private readonly LeaseStore leases;

    public LeaseStoreTests() => leases = new LeaseStore(new FolderBlobStore(folder));

    private static PhaseLease Lease(int attempt, string trainer) => new($"r.MT_0.{attempt}", attempt, trainer, Claimed, Claimed);

    [Fact]
    public async Task A_renewal_whose_answer_was_lost_does_not_cost_the_attempt_its_lease()
    {
        var lease = Lease(1, "trainer-1");
        var claimed = (await leases.TryClaimAsync(BlobLayout.Lease("r", PhaseKey.Module(0)), lease, default))!;
        // Storage applied this renewal but the trainer never heard back (a timeout, a dropped connection): it still holds the old ETag.
        await leases.HeartbeatAsync(BlobLayout.Lease("r", PhaseKey.Module(0)), lease with { Beats = 1 }, claimed, default);

        var renewed = await leases.HeartbeatAsync(BlobLayout.Lease("r", PhaseKey.Module(0)), lease with { Beats = 2 }, claimed, default);

        var stored = (await leases.TryReadAsync(BlobLayout.Lease("r", PhaseKey.Module(0)), default))!.Value;
        Assert.Equal(renewed, stored.ETag);
        Assert.Equal(2, stored.Lease.Beats);
    }

    [Fact]
    public async Task A_renewal_after_a_newer_attempt_claimed_the_lease_fails_and_changes_nothing()
    {
        var old = Lease(1, "trainer-1");
        var etag = (await leases.TryClaimAsync(BlobLayout.Lease("r", PhaseKey.Module(0)), old, default))!;
        Assert.NotNull(await leases.TryClaimAsync(BlobLayout.Lease("r", PhaseKey.Module(0)), Lease(2, "trainer-2"), default));

        await Assert.ThrowsAsync<BlobConditionFailedException>(() => leases.HeartbeatAsync(BlobLayout.Lease("r", PhaseKey.Module(0)), old with { Beats = 1 }, etag, default));

        var stored = (await leases.TryReadAsync(BlobLayout.Lease("r", PhaseKey.Module(0)), default))!.Value.Lease;
        Assert.Equal(2, stored.Attempt);
        Assert.Equal("trainer-2", stored.Trainer);
    }

    [Fact]
    public async Task The_same_attempt_claimed_again_by_another_trainer_is_not_taken_for_ones_own()
    {
        var mine = Lease(1, "trainer-1");
        var etag = (await leases.TryClaimAsync(BlobLayout.Lease("r", PhaseKey.Module(0)), mine, default))!;
        // The lease blob rewritten by another holder of the same attempt (storage lost the blob and a redelivery claimed it anew).
        var store = new FolderBlobStore(folder);
        var current = (await leases.TryReadAsync(BlobLayout.Lease("r", PhaseKey.Module(0)), default))!.Value.ETag;
        await store.PutIfMatchAsync(BlobLayout.Lease("r", PhaseKey.Module(0)), new MemoryStream(RunJson.Serialize(Lease(1, "trainer-2"))), current);

        await Assert.ThrowsAsync<BlobConditionFailedException>(() => leases.HeartbeatAsync(BlobLayout.Lease("r", PhaseKey.Module(0)), mine with { Beats = 1 }, etag, default));
        Assert.Equal("trainer-2", (await leases.TryReadAsync(BlobLayout.Lease("r", PhaseKey.Module(0)), default))!.Value.Lease.Trainer);
    }

    [Fact]
    public async Task A_claim_whose_answer_was_lost_holds_the_lease()
    {
        var name = BlobLayout.Lease("r", PhaseKey.Module(0));
        var lossy = new LeaseStore(new LostReplyBlobStore(new FolderBlobStore(folder), name));

        var claimed = await lossy.TryClaimAsync(name, Lease(1, "trainer-1"), default);

        var stored = (await leases.TryReadAsync(name, default))!.Value;
        Assert.Equal(stored.ETag, claimed);
        Assert.Equal("trainer-1", stored.Lease.Trainer);
    }

    [Fact]
    public async Task A_takeover_whose_answer_was_lost_holds_the_lease_of_the_newer_attempt()
    {
        var name = BlobLayout.Lease("r", PhaseKey.Module(0));
        await leases.TryClaimAsync(name, Lease(1, "trainer-1"), default);
        var lossy = new LeaseStore(new LostReplyBlobStore(new FolderBlobStore(folder), name));

        var claimed = await lossy.TryClaimAsync(name, Lease(2, "trainer-2"), default);

        var stored = (await leases.TryReadAsync(name, default))!.Value;
        Assert.Equal(stored.ETag, claimed);
        Assert.Equal((2, "trainer-2"), (stored.Lease.Attempt, stored.Lease.Trainer));
    }

    public void Dispose()
    {
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }
}
