using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using Xunit.Abstractions;

namespace CloudAssembly.Services.Tests;

[Collection("services")]
public class AssemblyFailureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_assembly_that_always_fails_fails_the_run_with_its_reason_after_three_tries()
    {
        await using var cluster = await ServiceCluster.StartAsync(trainers: 2,
            settings: new Dictionary<string, string> { ["Assembler__Faults__FailAssembly"] = "true" });
        var harness = new RunHarness(cluster.Bus, cluster.Runs, $"assemble-{Guid.NewGuid():N}"[..19]);
        object outcome;
        try
        {
            outcome = await harness.RunAsync(TinyRun.Fast());
        }
        finally
        {
            output.WriteLine(cluster.Logs);
        }

        var failed = Assert.IsType<RunFailed>(outcome);
        Assert.Equal($"Assembling the modules failed after {RunStateMachine.MaxAttempts} tries: Assembly fails on purpose " +
            "(the test setting Assembler:Faults:FailAssembly).", failed.Reason);
        var run = (await cluster.Runs.TryGetAsync(harness.RunId, default))!.Value.Run;
        Assert.Equal(RunStateMachine.MaxAttempts, run.AssemblyFailures);
        Assert.Equal(PhaseStatus.Pending, run.Phase(PhaseKey.Finetune).Status);
        output.WriteLine($"SCENARIO assembly always fails | RunFailed: {failed.Reason} | FT never started | assembly tries {run.AssemblyFailures}");
    }
}
