using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Orchestration.Trainer;
using CloudAssembly.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudAssembly.Orchestration.Tests;

/// <summary>A trainer's lease on a real folder blob store: storage calls of the attempt wait storage out instead of failing it.</summary>
public sealed class AttemptLeaseTests : IDisposable
{
    private static readonly DateTimeOffset Claimed = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private static readonly PhaseLease Claim = new("r.PT.1", 1, "trainer-1", Claimed, Claimed);
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"attempt-lease-tests-{Guid.NewGuid():N}");
    private readonly LeaseStore leases;
    private readonly RunStore runs;

    public AttemptLeaseTests()
    {
        var store = new FolderBlobStore(folder);
        leases = new LeaseStore(store);
        runs = new RunStore(store);
    }

    private async Task<AttemptLease> ClaimAsync()
    {
        var etag = (await leases.TryClaimAsync(BlobLayout.Lease("r", PhaseKey.Pretrain), Claim, default))!;
        var command = new TrainPhase("r", PhaseKey.Pretrain, 1, "r.PT.1", RunSpec.FashionMnistDemo(), new DatasetRef("FMNIST", "/data"), []);
        return new AttemptLease(leases, runs, command, Claim, etag, new TrainerOptions(), TimeProvider.System, NullLogger.Instance);
    }

    [Fact]
    public async Task A_storage_call_that_failed_because_storage_was_away_is_made_again_once_the_lease_renews()
    {
        using var lease = await ClaimAsync();
        var calls = 0;

        var read = await lease.OutlastOutageAsync(_ => ++calls == 1 ? throw new HttpRequestException("Connection refused") : Task.FromResult(42),
            "reading the pointer", default);

        Assert.Equal(42, read);
        Assert.Equal(2, calls);
        Assert.Equal(1, (await leases.TryReadAsync(BlobLayout.Lease("r", PhaseKey.Pretrain), default))!.Value.Lease.Beats);
    }

    [Fact]
    public async Task A_request_storage_refused_is_not_retried()
    {
        using var lease = await ClaimAsync();
        var calls = 0;

        await Assert.ThrowsAsync<BlobNotFoundException>(() => lease.OutlastOutageAsync(_ =>
        {
            calls++;
            throw new BlobNotFoundException("runs/r/PT/latest.json", folder);
        }, "reading the pointer", default));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Once_a_newer_attempt_took_the_lease_a_failed_call_stops_the_attempt_instead_of_waiting()
    {
        using var lease = await ClaimAsync();
        await leases.TryClaimAsync(BlobLayout.Lease("r", PhaseKey.Pretrain), new PhaseLease("r.PT.2", 2, "trainer-2", Claimed, Claimed), default);

        await Assert.ThrowsAsync<AttemptFencedException>(() =>
            lease.OutlastOutageAsync<int>(_ => throw new HttpRequestException("Connection refused"), "reading the pointer", default));
    }

    public void Dispose()
    {
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }
}
