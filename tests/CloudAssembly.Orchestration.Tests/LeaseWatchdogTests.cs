using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Assembler;
using CloudAssembly.Orchestration.Assembler.Launching;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Storage;
using MassTransit;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudAssembly.Orchestration.Tests;

/// <summary>The lease watchdog on a real folder blob store and a real in-memory bus, its clock moved by the test.</summary>
public sealed class LeaseWatchdogTests : IAsyncLifetime
{
    private static readonly AssemblerOptions Options = new() { WatchdogInterval = TimeSpan.FromSeconds(10), LeaseTimeout = TimeSpan.FromSeconds(90) };
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"watchdog-tests-{Guid.NewGuid():N}");
    private readonly ManualClock clock = new();
    private readonly IBusControl bus = Bus.Factory.CreateUsingInMemory(_ => { });
    private RunStore runs = null!;
    private LeaseWatchdog watchdog = null!;

    public async Task InitializeAsync()
    {
        var store = new FolderBlobStore(folder);
        runs = new RunStore(store);
        var pointers = new PointerStore(store);
        var options = Options with { WorkFolder = Path.Combine(folder, "work") };
        var coordinator = new RunCoordinator(runs, new ModelAssemblyService(store, pointers, options), new RunReportPublisher(store, pointers, options),
            new QueueLauncher(), options, DataSources.From(options, folder), clock, NullLogger<RunCoordinator>.Instance);
        var leases = new LeaseStore(store);
        watchdog = new LeaseWatchdog(coordinator, new PlacementWatch(coordinator, clock, NullLogger<PlacementWatch>.Instance), leases, pointers, bus, options,
            clock, NullLogger<LeaseWatchdog>.Instance);
        await bus.StartAsync();

        var now = clock.GetUtcNow();
        var submitted = RunStateMachine.Advance(RunStateMachine.Create(new SubmitRun("r", RunSpec.FashionMnistDemo()), now, null), now).Run;
        var dataset = new DatasetRef("SHARDS", "fmnist/v1", "fmnist", "v1");
        var dispatched = RunStateMachine.Advance(RunStateMachine.OnDatasetReady(submitted, new DatasetReady("r", dataset, 10, 10, true))!, now).Run;
        await runs.TryCreateAsync(dispatched, default);
        await leases.TryClaimAsync(BlobLayout.Lease("r", PhaseKey.Pretrain), new PhaseLease("r.PT.1", 1, "trainer-1", now, now), default);
    }

    private async Task<int> PretrainAttemptAsync() => (await runs.TryGetAsync("r", default))!.Value.Run.Phase(PhaseKey.Pretrain).Attempt;

    /// <summary>Sweeps every watchdog interval for <paramref name="span"/>, as the timer would.</summary>
    private async Task WatchAsync(TimeSpan span)
    {
        for (var watched = TimeSpan.Zero; watched < span; watched += Options.WatchdogInterval)
        {
            clock.Advance(Options.WatchdogInterval);
            await watchdog.SweepAsync(default);
        }
    }

    [Fact]
    public async Task After_the_watchdog_could_not_look_for_minutes_a_silent_lease_gets_a_whole_timeout_from_its_next_look()
    {
        await watchdog.SweepAsync(default);
        // The Assembler was paused (or its sweep hung on storage) for five minutes; the trainer renews now and then, but
        // the watchdog looks first.
        clock.Advance(TimeSpan.FromMinutes(5));
        await watchdog.SweepAsync(default);
        Assert.Equal(1, await PretrainAttemptAsync());

        await WatchAsync(TimeSpan.FromSeconds(80));
        Assert.Equal(1, await PretrainAttemptAsync());

        // A lease that stays silent while the watchdog watches is still given up.
        await WatchAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(2, await PretrainAttemptAsync());
    }

    public async Task DisposeAsync()
    {
        await bus.StopAsync();
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }
}
