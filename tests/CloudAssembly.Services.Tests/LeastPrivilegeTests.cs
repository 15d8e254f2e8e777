using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using Xunit.Abstractions;

namespace CloudAssembly.Services.Tests;

/// <summary>The broker users of k8s/base/rabbitmq/definitions.json are enough for a whole run, and no more is needed.</summary>
[Collection("services")]
public class LeastPrivilegeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_run_completes_with_each_service_and_the_submitter_on_its_own_least_privilege_broker_user()
    {
        await using var cluster = await ServiceCluster.StartAsync(trainers: 1, ownBrokerUsers: true);
        var harness = new RunHarness(cluster.Bus, cluster.Runs, $"lp-{Guid.NewGuid():N}"[..16]);
        object outcome;
        try
        {
            outcome = await harness.RunAsync(TinyRun.Spec());
        }
        finally
        {
            output.WriteLine(cluster.Logs);
        }

        Assert.IsType<RunCompleted>(outcome);
        Assert.Equal(RunStatus.Completed, (await cluster.Runs.TryGetAsync(harness.RunId, default))!.Value.Run.Status);
        Assert.DoesNotContain("ACCESS_REFUSED", cluster.Logs, StringComparison.Ordinal);
    }
}
