using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using MassTransit;
using Xunit.Abstractions;

namespace CloudAssembly.Services.Tests;

[Collection("services")]
public class EndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_run_goes_through_separate_services_to_completion_and_duplicates_resubmits_and_garbage_change_nothing()
    {
        await using var cluster = await ServiceCluster.StartAsync(trainers: 2);
        var harness = new RunHarness(cluster.Bus, cluster.Runs, $"e2e-{Guid.NewGuid():N}"[..16]);
        var spec = TinyRun.Spec();
        var duplicated = 0;
        object outcome;
        try
        {
            outcome = await harness.RunAsync(spec, e =>
            {
                if (e is PhaseCompleted { Phase.Kind: PhaseKind.PT } completed && Interlocked.Exchange(ref duplicated, 1) == 0)
                    _ = Task.Run(async () =>
                    {
                        await cluster.Bus.Publish(completed);
                        await cluster.Bus.Publish(new SubmitRun(harness.RunId, spec));
                        await cluster.Broker.PublishRawAsync("assembler", "{ this is not a message", "application/vnd.masstransit+json");
                    });
            });
        }
        finally
        {
            output.WriteLine(cluster.Logs);
        }

        var completedRun = Assert.IsType<RunCompleted>(outcome);
        var run = (await cluster.Runs.TryGetAsync(harness.RunId, default))!.Value.Run;
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(1, duplicated);
        foreach (var phase in RunStateMachine.Jobs(run.Spec))
            Assert.Equal(1, run.Phases[phase].Attempt);
        Assert.True(run.Phases.Where(p => p.Key.Kind == PhaseKind.MT).Select(p => p.Value.Trainer).Distinct().Count() >= 2,
            "the module phases should run on both trainers");
        foreach (var phase in RunStateMachine.Jobs(run.Spec).Where(p => p.Kind != PhaseKind.Eval))
        {
            var pointer = (await new PointerStore(cluster.Store).TryReadAsync(BlobLayout.Pointer(harness.RunId, phase), default))!.Value.Pointer;
            Assert.Equal(BlobLayout.Finished(harness.RunId, phase, 1), pointer.Finished);
            Assert.Equal(run.Phases[phase].Checkpoint, pointer.Finished);
            Assert.NotNull(await cluster.Store.TryGetPropertiesAsync(pointer.Finished!));
            Assert.NotNull(await cluster.Store.TryGetPropertiesAsync(pointer.Log!));
            Assert.NotNull(await cluster.Store.TryGetPropertiesAsync(pointer.Steps!));
            Assert.NotEmpty(await cluster.Store.ListAsync(BlobLayout.TensorBoardFolder(harness.RunId) + $"{phase}/").ToListAsync());
        }
        var assembled = (await new PointerStore(cluster.Store).TryReadAsync(BlobLayout.AssembledPointer(harness.RunId), default))!.Value.Pointer.Finished;
        Assert.Equal(run.AssembledModel, assembled);
        Assert.NotNull(await cluster.Store.TryGetPropertiesAsync(assembled!));
        Assert.Equal(BlobLayout.Report(harness.RunId), completedRun.Report);
        foreach (var file in new[] { "report.html", "report.json", "train-loss.png", "train-loss.svg", "timeline.png", "accuracy.svg" })
            Assert.NotNull(await cluster.Store.TryGetPropertiesAsync(BlobLayout.ReportFolder(harness.RunId) + file));
        Assert.InRange(completedRun.Metrics.Acc1, 20.0, 100.0);
        Assert.NotNull(completedRun.Metrics.AssembledAcc1BeforeFinetune);
        Assert.Equal(7, completedRun.Metrics.Phases.Count);
        Assert.True(completedRun.Metrics.DeviceSeconds > 0);
        Assert.True(await cluster.Broker.MessagesAsync("assembler_error") >= 1, "the malformed message should be in assembler_error");

        var ptDone = harness.When(e => e is PhaseCompleted { Phase.Kind: PhaseKind.PT });
        foreach (var started in harness.Of<PhaseStarted>().Where(s => s.Phase.Kind == PhaseKind.MT))
            output.WriteLine($"hand-off PT → {started.Phase}: {(harness.When(e => e == (object)started) - ptDone).TotalMilliseconds:F0} ms");
        var mtDone = harness.Of<PhaseCompleted>().Where(c => c.Phase.Kind == PhaseKind.MT)
            .Max(c => harness.When(e => e == (object)c));
        output.WriteLine($"hand-off last MT → FT (assembly included): {(harness.When(e => e is PhaseStarted { Phase.Kind: PhaseKind.FT }) - mtDone).TotalMilliseconds:F0} ms");
    }
}
