using System.Text.Json;
using CloudAssembly.Cli;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Storage;

namespace CloudAssembly.Services.Tests;

/// <summary>
/// The <c>cloudassembly</c> commands a person meets on a cluster, each run as a real process against the real broker
/// (a fresh virtual host) and Azurite (a fresh container), with run.json written the way the Assembler writes it.
/// </summary>
[Collection("services")]
public class CliTests
{
    private static Dictionary<string, string> Cluster(Broker broker) => new()
    {
        ["CLOUDASSEMBLY_BROKER"] = broker.Uri,
        ["CLOUDASSEMBLY_STORE"] = BlobContainer.Shared,
    };

    private static async Task<RunStore> StoreRunAsync(BlobContainer blobs, RunDocument run)
    {
        var runs = new RunStore(blobs.Open());
        Assert.True(await runs.TryCreateAsync(run, default));
        return runs;
    }

    private static RunDocument Run(string runId, RunSpec spec) =>
        RunStateMachine.Create(new SubmitRun(runId, spec), DateTimeOffset.UtcNow, traceParent: null);

    private static string SpecFile(RunSpec spec)
    {
        var path = Path.Combine(Path.GetTempPath(), $"cloudassembly-spec-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(spec, JsonSerializerOptions.Web));
        return path;
    }

    // SIGTERM, not SIGINT: Ctrl+C goes through the same handler, but a test run from a background job inherits SIGINT
    // ignored, and a process cannot take back a signal ignored when it started.
    [Fact]
    public async Task Watch_stops_on_SIGTERM_and_says_the_run_continues_in_the_cluster()
    {
        await using var broker = await Broker.CreateAsync();
        var blobs = new BlobContainer();
        await StoreRunAsync(blobs, Run("watched", TinyRun.Spec()));
        await using var cli = new CliProcess(["watch", "--run-id", "watched", "--container", blobs.Name], Cluster(broker));
        // Watching means its event queue exists on the broker.
        while (!(await broker.QueuesAsync()).Any(q => q.Contains("watch", StringComparison.Ordinal)))
            await Task.Delay(200);

        cli.Signal("TERM");

        Assert.Equal(CommandErrors.Cancelled, await cli.ExitAsync());
        Assert.Contains("the run continues in the cluster; `cloudassembly watch --run-id watched` to follow it again", cli.Error);
    }

    [Fact]
    public async Task Submitting_an_existing_id_follows_the_same_spec_and_refuses_a_different_one()
    {
        await using var broker = await Broker.CreateAsync();
        var blobs = new BlobContainer();
        var runs = await StoreRunAsync(blobs, Run("taken", TinyRun.Spec()));
        string[] submit = ["submit", "--run-id", "taken", "--container", blobs.Name, "--spec"];

        var same = await CliProcess.RunAsync([.. submit, SpecFile(TinyRun.Spec())], Cluster(broker));
        var different = await CliProcess.RunAsync([.. submit, SpecFile(TinyRun.Spec(moduleEpochs: 3))], Cluster(broker));

        Assert.Equal(CommandErrors.AlreadyExists, same.ExitCode);
        Assert.Contains("run taken already exists (PreparingData", same.Output);
        Assert.Contains("with this same spec: nothing new was submitted", same.Output);
        Assert.Equal(CommandErrors.UserError, different.ExitCode);
        Assert.Contains("Run 'taken' already exists (PreparingData) with a different spec (modules.epochs 1 → 3)", different.Error);
        Assert.Contains("--replace", different.Error);
        Assert.Equal(1, (await runs.TryGetAsync("taken", default))!.Value.Run.Spec.Modules.Epochs);
    }

    [Fact]
    public async Task Replace_starts_a_finished_run_again_from_nothing_and_is_refused_while_the_run_is_active()
    {
        // The run below is stored behind the Assembler's back: its watchdog must not take it up before the replace.
        await using var cluster = await ServiceCluster.StartAsync(trainers: 0,
            perService: name => name == "assembler" ? new Dictionary<string, string> { ["Assembler__WatchdogInterval"] = "01:00:00" } : null);
        var blobs = cluster.Blobs;
        var runs = await StoreRunAsync(blobs, Run("again", TinyRun.Spec()));
        var store = blobs.Open();
        await store.PutAsync(BlobLayout.Log("again", PhaseKey.Pretrain, 1), new MemoryStream([1, 2, 3]));
        string[] replace = ["submit", "--run-id", "again", "--container", blobs.Name, "--replace", "--spec", SpecFile(TinyRun.Spec(moduleEpochs: 2))];

        var environment = new Dictionary<string, string> { ["CLOUDASSEMBLY_BROKER"] = cluster.RabbitUri, ["CLOUDASSEMBLY_STORE"] = blobs.Connection };
        var whileActive = await CliProcess.RunAsync(replace, environment);
        await runs.UpdateAsync("again", r => RunStateMachine.OnCancel(r, new CancelRun("again", "test")), default);
        var finished = await CliProcess.RunAsync(replace, environment);

        Assert.Equal(CommandErrors.UserError, whileActive.ExitCode);
        Assert.Contains("is still PreparingData, so it cannot be replaced: `cloudassembly cancel --run-id again` first", whileActive.Error);
        Assert.Equal(0, finished.ExitCode);
        Assert.Contains("replaced run again (Cancelled; modules.epochs 1 → 2): deleted its 2 blobs", finished.Output);
        Assert.Contains("run again accepted", finished.Output);
        await Assert.ThrowsAsync<BlobNotFoundException>(() => store.GetAsync(BlobLayout.Log("again", PhaseKey.Pretrain, 1)));
    }

    [Fact]
    public async Task Status_names_the_current_attempts_trainer_and_shows_phases_of_a_cancelled_run_as_stopped()
    {
        var blobs = new BlobContainer();
        var run = Run("shown", TinyRun.Spec());
        run = run.WithPhase(PhaseKey.Pretrain, new PhaseState { Status = PhaseStatus.Completed, Attempt = 1, Trainer = "trainer-a" })
            .WithPhase(PhaseKey.Module(0), new PhaseState { Status = PhaseStatus.Running, Attempt = 1, Trainer = "trainer-b" })
            .WithPhase(PhaseKey.Module(1), new PhaseState
            {
                Status = PhaseStatus.Dispatched, Attempt = 2, Trainer = "trainer-dead", Error = "trainer 'trainer-dead' stopped sending heartbeats during attempt 1",
            }) with { Status = RunStatus.Cancelled, Error = "Cancelled: enough" };
        await StoreRunAsync(blobs, run);

        var status = await CliProcess.RunAsync(["status", "--run-id", "shown", "--container", blobs.Name],
            new Dictionary<string, string> { ["CLOUDASSEMBLY_STORE"] = BlobContainer.Shared });

        Assert.Equal(0, status.ExitCode);
        var rows = status.Output.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(c => c.Length > 3).ToList();
        Assert.Equal(["PT", "Completed", "1", "trainer-a"], rows.Single(c => c[0] == "PT")[..4]);
        Assert.Equal(["MT_0", "Stopped", "1", "trainer-b"], rows.Single(c => c[0] == "MT_0")[..4]);
        Assert.Equal(["MT_1", "Stopped", "2", "-"], rows.Single(c => c[0] == "MT_1")[..4]);
        Assert.Contains("previous attempt: trainer 'trainer-dead' stopped sending heartbeats during attempt 1", status.Output);
    }

    [Fact]
    public async Task Run_stops_on_SIGTERM_keeping_its_epoch_checkpoints_and_says_how_to_resume()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cloudassembly-tests", $"cli-run-{Guid.NewGuid():N}");
        var spec = TinyRun.Spec() with { Pretrain = TinyRun.Spec().Pretrain with { Epochs = 3 } };
        await using var cli = new CliProcess(["run", "--spec", SpecFile(spec), "--store", folder, "--run-id", "stopped"]);
        await cli.WaitForOutputAsync("PT     epoch 1/3 done", TimeSpan.FromMinutes(6));

        cli.Signal("TERM");

        Assert.Equal(CommandErrors.Cancelled, await cli.ExitAsync());
        Assert.Contains("stopped: every phase keeps its last epoch checkpoint in", cli.Error);
        Assert.True(File.Exists(Path.Combine(folder, "cloudassembly", BlobLayout.Checkpoint("stopped", PhaseKey.Pretrain, 1, 0))), cli.Output + cli.Error);
    }

    [Fact]
    public void The_example_spec_that_spec_init_writes_loads_back_as_the_demo_with_every_setting_explained()
    {
        var text = RunSpecFile.Commented(RunSpec.FashionMnistDemo());
        var file = new FileInfo(Path.Combine(Path.GetTempPath(), $"cloudassembly-example-{Guid.NewGuid():N}.json"));
        File.WriteAllText(file.FullName, text);

        Assert.Empty(SpecDifferences.Between(RunSpec.FashionMnistDemo(), RunSpecFile.Load(file)));
        foreach (var setting in new[] { "model", "depths", "metaDepths", "dataSet", "dataPath", "pretrain", "modules", "finetune", "trainLimit" })
        {
            var line = text.Split('\n').ToList().FindIndex(l => l.TrimStart().StartsWith($"\"{setting}\":", StringComparison.Ordinal));
            Assert.StartsWith("//", text.Split('\n')[line - 1].TrimStart());
        }
    }
}
