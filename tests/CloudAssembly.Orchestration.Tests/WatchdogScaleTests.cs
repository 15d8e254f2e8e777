using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Assembler;
using CloudAssembly.Orchestration.Assembler.Launching;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Storage;
using MassTransit;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace CloudAssembly.Orchestration.Tests;

/// <summary>The watchdog with 200 active runs of 16 nodes each, on a real folder store whose reads take a little time.</summary>
public sealed class WatchdogScaleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Runs = 200;
    private const int Nodes = 16;
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"watchdog-scale-{Guid.NewGuid():N}");
    private readonly IBusControl bus = Bus.Factory.CreateUsingInMemory(_ => { });

    public Task InitializeAsync() => bus.StartAsync();

    [Fact]
    public async Task One_sweep_reads_every_lease_of_200_runs_of_16_nodes_looking_at_many_runs_at_once_but_no_more_than_its_bound()
    {
        var clock = new ManualClock();
        var seeded = new FolderBlobStore(folder);
        var now = clock.GetUtcNow();
        var spec = RunSpec.FashionMnistDemo() with { Pretrain = RunSpec.FashionMnistDemo().Pretrain with { Nodes = Nodes } };
        var dataset = new DatasetRef("SHARDS", "fmnist/v1", "fmnist", "v1");
        await Parallel.ForEachAsync(Enumerable.Range(0, Runs), async (i, ct) =>
        {
            var id = $"r{i}";
            var submitted = RunStateMachine.Advance(RunStateMachine.Create(new SubmitRun(id, spec), now, null), now).Run;
            var dispatched = RunStateMachine.Advance(RunStateMachine.OnDatasetReady(submitted, new DatasetReady(id, dataset, 10, 10, true))!, now).Run;
            await new RunStore(seeded).TryCreateAsync(dispatched with { Outbox = [] }, ct);
            for (var node = 0; node < Nodes; node++)
                await new LeaseStore(seeded).TryClaimAsync(BlobLayout.Lease(id, PhaseKey.Pretrain, node),
                    new PhaseLease($"{id}.PT.1", 1, $"trainer-{node}", now, now, Node: node), ct);
        });

        var store = new InFlightBlobStore(seeded);
        var options = new AssemblerOptions { WorkFolder = Path.Combine(folder, "work"), SweepParallelism = 16 };
        var runs = new RunStore(store);
        var pointers = new PointerStore(store);
        var coordinator = new RunCoordinator(runs, new ModelAssemblyService(store, pointers, options), new RunReportPublisher(store, pointers, options),
            new QueueLauncher(), options, DataSources.From(options, folder), clock, NullLogger<RunCoordinator>.Instance);
        var watchdog = new LeaseWatchdog(coordinator, new PlacementWatch(coordinator, clock, NullLogger<PlacementWatch>.Instance), new LeaseStore(store),
            pointers, bus, options, clock, NullLogger<LeaseWatchdog>.Instance);

        await watchdog.SweepAsync(default);

        output.WriteLine($"{store.Reads} reads, at most {store.MostInFlight} at once");
        Assert.True(store.Reads >= Runs * (Nodes + 1), $"{store.Reads} reads: every run.json and every lease must be read");
        Assert.InRange(store.MostInFlight, 2, options.SweepParallelism);
        // Nothing was due: no lease was given up, nothing sent again.
        Assert.All(await runs.ActiveRunsAsync(default), id => Assert.StartsWith("r", id));
        Assert.Equal(1, (await runs.TryGetAsync("r0", default))!.Value.Run.Phase(PhaseKey.Pretrain).Attempt);
    }

    public async Task DisposeAsync()
    {
        await bus.StopAsync();
        Directory.Delete(folder, recursive: true);
    }
}
