using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Storage;

namespace CloudAssembly.Orchestration.Tests;

/// <summary>The pointer's fencing token on a real folder blob store (the same compare-and-swap contract as Azure's).</summary>
public sealed class PointerStoreTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"pointer-tests-{Guid.NewGuid():N}");
    private readonly PointerStore pointers;

    public PointerStoreTests() => pointers = new PointerStore(new FolderBlobStore(folder));

    private static Task Held(CancellationToken _) => Task.CompletedTask;

    [Fact]
    public async Task Once_a_newer_attempt_fenced_the_phase_an_older_one_can_neither_fence_nor_publish()
    {
        Assert.True(await pointers.FenceAsync(BlobLayout.Pointer("r", PhaseKey.Module(0)), 1, default));
        await pointers.PublishAsync(BlobLayout.Pointer("r", PhaseKey.Module(0)), 1, p => p with { Checkpoints = [new EpochCheckpoint(0, BlobLayout.Checkpoint("r", PhaseKey.Module(0), 1, 0))] }, Held, default);
        Assert.True(await pointers.FenceAsync(BlobLayout.Pointer("r", PhaseKey.Module(0)), 2, default));

        Assert.False(await pointers.FenceAsync(BlobLayout.Pointer("r", PhaseKey.Module(0)), 1, default));
        await Assert.ThrowsAsync<AttemptFencedException>(() => pointers.PublishAsync(BlobLayout.Pointer("r", PhaseKey.Module(0)), 1, p => p with { Finished = "forged" }, Held, default));
        var pointer = (await pointers.TryReadAsync(BlobLayout.Pointer("r", PhaseKey.Module(0)), default))!.Value.Pointer;
        Assert.Equal(2, pointer.Attempt);
        Assert.Null(pointer.Finished);
        Assert.Equal(BlobLayout.Checkpoint("r", PhaseKey.Module(0), 1, 0), Assert.Single(pointer.Checkpoints).Blob);
    }

    [Fact]
    public async Task A_publish_whose_lease_check_fails_changes_nothing()
    {
        await pointers.FenceAsync(BlobLayout.Pointer("r", PhaseKey.Pretrain), 1, default);
        await Assert.ThrowsAsync<AttemptFencedException>(() => pointers.PublishAsync(BlobLayout.Pointer("r", PhaseKey.Pretrain), 1, p => p with { Finished = "x" },
            _ => throw new AttemptFencedException("lease lost"), default));
        Assert.Null((await pointers.TryReadAsync(BlobLayout.Pointer("r", PhaseKey.Pretrain), default))!.Value.Pointer.Finished);
    }

    [Fact]
    public async Task Of_two_results_published_at_once_the_first_wins_and_both_publishers_get_the_winner()
    {
        var published = await Task.WhenAll(
            pointers.PublishOnceAsync(BlobLayout.AssembledPointer("r"), BlobLayout.Assembled("r", "a"), default),
            pointers.PublishOnceAsync(BlobLayout.AssembledPointer("r"), BlobLayout.Assembled("r", "b"), default));

        var winner = (await pointers.TryReadAsync(BlobLayout.AssembledPointer("r"), default))!.Value.Pointer.Finished;
        Assert.Contains(winner, new[] { BlobLayout.Assembled("r", "a"), BlobLayout.Assembled("r", "b") });
        Assert.All(published, p => Assert.Equal(winner, p));
        Assert.Equal(winner, await pointers.PublishOnceAsync(BlobLayout.AssembledPointer("r"), BlobLayout.Assembled("r", "c"), default));
    }

    public void Dispose()
    {
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }
}
