using CloudAssembly.Contracts;
using CloudAssembly.Cli.Client;
using CloudAssembly.Orchestration.Runs;
using Xunit.Abstractions;

namespace CloudAssembly.Services.Tests;

[Collection("services")]
public class StorageOutageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Blob_storage_stopped_for_a_minute_mid_run_burns_no_attempt_and_the_run_completes()
    {
        await using var services = await PrivateServices.StartAsync();
        await using var cluster = await ServiceCluster.StartAsync(trainers: 2, services);
        var harness = new RunHarness(cluster.Bus, cluster.Runs, $"outage-{Guid.NewGuid():N}"[..17]);
        var outage = 0;
        Task? chaos = null;
        object outcome;
        try
        {
            outcome = await harness.RunAsync(TinyRun.Fast(moduleEpochs: 2), e =>
            {
                if (e is PhaseProgress { Accuracy: not null } p && p.Phase.Kind == PhaseKind.MT && Interlocked.Exchange(ref outage, 1) == 0)
                    chaos = Task.Run(async () =>
                    {
                        services.StopAzurite();
                        output.WriteLine($"Azurite stopped during {p.Phase}");
                        await Task.Delay(TimeSpan.FromSeconds(60));
                        await services.UpAsync();
                        output.WriteLine("Azurite back after 60 s");
                    });
            }, TimeSpan.FromMinutes(8));
            await chaos!;
        }
        finally
        {
            output.WriteLine(cluster.Logs);
        }

        Assert.IsType<RunCompleted>(outcome);
        var run = (await cluster.Runs.TryGetAsync(harness.RunId, default))!.Value.Run;
        output.WriteLine($"attempts: {string.Join(", ", run.Phases.Select(p => $"{p.Key} {p.Value.Attempt}"))}");
        Assert.All(run.Phases, p => Assert.Equal(1, p.Value.Attempt));
        Assert.Empty(harness.Of<PhaseFailed>());
        Assert.Empty(harness.Of<PhaseRedispatched>());
        Assert.Contains(cluster.Processes, p => p.Log.Contains("renewing the lease failed", StringComparison.Ordinal));
        output.WriteLine($"SCENARIO Azurite stopped 60 s | trainers paused at the lease deadline and went on; the watchdog held off | nothing | attempts 1 each");
    }
}
