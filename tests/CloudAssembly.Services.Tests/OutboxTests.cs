using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using Xunit.Abstractions;

namespace CloudAssembly.Services.Tests;

[Collection("services")]
public class OutboxTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_Assembler_killed_between_storing_and_sending_sends_after_restart_two_Assemblers_apply_each_event_once_and_skewed_clocks_expire_nothing()
    {
        // Trainer clocks five minutes ahead and behind; the first Assembler kills itself right after its first store that decides messages.
        await using var cluster = await ServiceCluster.StartAsync(trainers: 2, perService: name => name switch
        {
            "assembler" => new Dictionary<string, string> { ["Assembler__Faults__ExitBetweenStoreAndPublish"] = "true" },
            "trainer-1" => new Dictionary<string, string> { ["Trainer__ClockOffset"] = "00:05:00" },
            "trainer-2" => new Dictionary<string, string> { ["Trainer__ClockOffset"] = "-00:05:00" },
            _ => null,
        });
        var harness = new RunHarness(cluster.Bus, cluster.Runs, $"outbox-{Guid.NewGuid():N}"[..17]);
        var faulty = cluster.Process("assembler");
        object outcome;
        RunDocument? stranded = null;
        try
        {
            var run = harness.RunAsync(TinyRun.Fast());
            Assert.True(await faulty.WaitForExitAsync(TimeSpan.FromMinutes(2)), "the Assembler should have killed itself after its first store");
            stranded = (await cluster.Runs.TryGetAsync(harness.RunId, default))!.Value.Run;
            output.WriteLine($"Assembler killed itself; run.json holds {stranded.Outbox.Count} unsent message(s): {string.Join(", ", stranded.Outbox.Select(m => m.Type))}");
            await Task.WhenAll(cluster.StartServiceAsync("Assembler", "assembler-2"), cluster.StartServiceAsync("Assembler", "assembler-3"));
            outcome = await run;
        }
        finally
        {
            output.WriteLine(cluster.Logs);
        }

        Assert.Equal(["PrepareDataset"], stranded!.Outbox.Select(m => m.Type));
        Assert.IsType<RunCompleted>(outcome);
        // The Assembler clears a message from the outbox only after the broker took it, so RunCompleted can reach us first.
        var done = (await cluster.Runs.TryGetAsync(harness.RunId, default))!.Value.Run;
        for (var poll = 0; done.Outbox.Count > 0 && poll < 60; poll++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            done = (await cluster.Runs.TryGetAsync(harness.RunId, default))!.Value.Run;
        }
        Assert.Empty(done.Outbox);
        Assert.All(done.Phases, p => Assert.Equal(1, p.Value.Attempt));
        Assert.Single(harness.Of<DatasetReady>());
        Assert.Equal(done.Phases.Count, harness.Of<PhaseCompleted>().Select(c => c.Phase).Distinct().Count());
        // Both Assemblers may have assembled: one copy is published through the pointer, FT read it, and no other copy stays.
        var assembled = (await new PointerStore(cluster.Store).TryReadAsync(BlobLayout.AssembledPointer(harness.RunId), default))!.Value.Pointer.Finished;
        Assert.Equal(done.AssembledModel, assembled);
        var copies = new List<string>();
        await foreach (var blob in cluster.Store.ListAsync(BlobLayout.RunFolder(harness.RunId) + "assembled/"))
            copies.Add(blob.Name);
        Assert.Equal(new[] { BlobLayout.AssembledPointer(harness.RunId), assembled! }.Order(), copies.Order());
        output.WriteLine($"SCENARIO crash between store and publish | PrepareDataset stayed in the outbox and was sent after restart | nothing | attempts 1 each");
        output.WriteLine($"SCENARIO trainer clocks +5/-5 min | {done.Phases.Count} phases, none expired | nothing | attempts 1 each");
        output.WriteLine($"SCENARIO two Assemblers at once | every phase dispatched and completed once | nothing | attempts 1 each");
    }

    [Fact]
    public async Task An_Assembler_killed_right_after_storing_that_a_run_completed_still_gets_the_report_written_and_the_outcome_sent()
    {
        await using var cluster = await ServiceCluster.StartAsync(trainers: 2, perService: name => name == "assembler"
            ? new Dictionary<string, string> { ["Assembler__Faults__ExitAfterFinishing"] = "true" }
            : null);
        var harness = new RunHarness(cluster.Bus, cluster.Runs, $"final-{Guid.NewGuid():N}"[..16]);
        var faulty = cluster.Process("assembler");
        object outcome;
        try
        {
            var run = harness.RunAsync(TinyRun.Fast());
            Assert.True(await faulty.WaitForExitAsync(TimeSpan.FromMinutes(6)), "the Assembler should have killed itself once the run completed");
            Assert.Null(await cluster.Store.TryGetPropertiesAsync(BlobLayout.Report(harness.RunId)));
            await cluster.StartServiceAsync("Assembler", "assembler-2");
            outcome = await run;
            for (var poll = 0; await cluster.Store.TryGetPropertiesAsync(BlobLayout.Report(harness.RunId)) is null && poll < 240; poll++)
                await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
        finally
        {
            output.WriteLine(cluster.Logs);
        }

        Assert.IsType<RunCompleted>(outcome);
        Assert.NotNull(await cluster.Store.TryGetPropertiesAsync(BlobLayout.Report(harness.RunId)));
        Assert.Contains("completed without its report", cluster.Process("assembler-2").Log);
        output.WriteLine("SCENARIO Assembler killed right after the final compare-and-swap | the restarted Assembler sent RunCompleted and wrote the " +
            "report | nothing | attempts 1 each");
    }
}
