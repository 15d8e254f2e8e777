using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CloudAssembly.Cli;
using CloudAssembly.Cli.Client;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;

namespace CloudAssembly.Services.Tests;

/// <summary>
/// What a submitter sees of every outcome, with the real CLI as a process against a real Assembler (RabbitMQ and
/// Azurite): a mistyped spec refused before sending, the Assembler's refusal printed and kept for <c>status</c> and
/// <c>list</c>, an acceptance, a cancel of a run that does not exist, and a data store the operator did not allow.
/// </summary>
[Collection("services")]
public class SubmitOutcomeTests
{
    private static Dictionary<string, string> Environment(string brokerUri, BlobContainer blobs) => new()
    {
        ["CLOUDASSEMBLY_BROKER"] = brokerUri,
        ["CLOUDASSEMBLY_STORE"] = blobs.Connection,
    };

    private static string SpecFile(RunSpec spec) => SpecFile(JsonSerializer.Serialize(spec, JsonSerializerOptions.Web));

    private static string SpecFile(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"cloudassembly-spec-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public async Task A_mistyped_field_is_refused_by_spec_check_and_by_submit_before_anything_is_sent()
    {
        await using var broker = await Broker.CreateAsync();
        var blobs = new BlobContainer();
        var json = JsonSerializer.Serialize(TinyRun.Spec(), JsonSerializerOptions.Web).Replace("\"trainLimit\"", "\"trainLimt\"");
        var file = SpecFile("// a comment stays allowed\n" + json);

        var check = await CliProcess.RunAsync(["spec", "check", file]);
        var submit = await CliProcess.RunAsync(["submit", "--run-id", "typo", "--container", blobs.Name, "--spec", file], Environment(broker.Uri, blobs));

        foreach (var (exitCode, _, error) in new[] { check, submit })
        {
            Assert.Equal(CommandErrors.UserError, exitCode);
            Assert.Equal($"error: Run spec '{file}' is refused: unknown field `trainLimt` in the spec; did you mean `trainLimit`?", error.Trim());
        }
        var runs = new RunStore(blobs.Open());
        Assert.Null(await runs.TryGetAsync("typo", default));
        Assert.Null(await runs.TryGetRefusalAsync("typo", default));
    }

    [Fact]
    public async Task A_refused_run_is_printed_by_submit_listed_as_refused_and_its_reason_shown_by_status_and_cancel()
    {
        await using var cluster = await ServiceCluster.StartAsync(trainers: 0);
        var environment = Environment(cluster.RabbitUri, cluster.Blobs);
        string[] store = ["--container", cluster.Blobs.Name];

        var submit = await CliProcess.RunAsync(["submit", "--run-id", "refused", .. store, "--spec", SpecFile(TinyRun.Spec() with { DataPath = "/etc" })], environment);
        var list = await CliProcess.RunAsync(["list", .. store], environment);
        var status = await CliProcess.RunAsync(["status", "--run-id", "refused", .. store], environment);
        var cancel = await CliProcess.RunAsync(["cancel", "--run-id", "refused", .. store], environment);

        const string reason = "Run 'refused' is refused: data path '/etc' is not under a data root DataPrep reads";
        Assert.Equal(CommandErrors.Refused, submit.ExitCode);
        Assert.Contains($"refused: {reason}", submit.Error);
        Assert.DoesNotContain("accepted", submit.Output);
        var row = list.Output.Split('\n').Single(l => l.StartsWith("refused ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Refused", row[1]);
        Assert.Contains(reason, list.Output);
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("run refused: Refused", status.Output);
        Assert.Contains(reason, status.Output);
        Assert.Equal(CommandErrors.UserError, cancel.ExitCode);
        Assert.Contains("error: Run 'refused' was refused when it was submitted, so there is nothing to cancel", cancel.Error);
    }

    [Fact]
    public async Task A_cancel_of_a_run_that_does_not_exist_is_an_error_in_the_CLI_and_holds_up_no_other_run_at_the_Assembler()
    {
        await using var cluster = await ServiceCluster.StartAsync(trainers: 0);
        var environment = Environment(cluster.RabbitUri, cluster.Blobs);
        string[] store = ["--container", cluster.Blobs.Name];
        // As a client other than the CLI could send it: the Assembler must drop it, not retry it ahead of every other run.
        await cluster.Bus.Publish(new CancelRun("does-not-exist", "a typo"));

        var cancel = await CliProcess.RunAsync(["cancel", "--run-id", "does-not-exist", .. store], environment);
        var submit = await CliProcess.RunAsync(["submit", "--run-id", "after-the-typo", .. store, "--spec", SpecFile(TinyRun.Spec())], environment);

        Assert.Equal(CommandErrors.UserError, cancel.ExitCode);
        Assert.StartsWith("error: Run 'does-not-exist' does not exist in this store", cancel.Error);
        Assert.Single(cancel.Error.Trim().Split('\n'));
        Assert.Equal(0, submit.ExitCode);
        Assert.Contains("run after-the-typo accepted", submit.Output);
        Assert.NotNull(await cluster.Runs.TryGetAsync("after-the-typo", default));
    }

    [Fact]
    public async Task A_resubmission_with_another_spec_from_any_client_is_refused_by_the_Assembler_and_changes_nothing()
    {
        await using var cluster = await ServiceCluster.StartAsync(trainers: 0);
        await cluster.Bus.Publish(new SubmitRun("taken", TinyRun.Spec()));
        using var hangGuard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await cluster.Runs.TryGetAsync("taken", hangGuard.Token) is null)
            await Task.Delay(200, hangGuard.Token);
        await using var watcher = await RunWatcher.StartAsync(cluster.Bus, cluster.Runs, "taken", _ => { }, TimeSpan.FromSeconds(2));

        await cluster.Bus.Publish(new SubmitRun("taken", TinyRun.Spec(moduleEpochs: 3)));

        var rejected = Assert.IsType<RunRejected>(await watcher.Outcome.WaitAsync(hangGuard.Token));
        Assert.StartsWith("Run 'taken' already exists (", rejected.Reason);
        Assert.Contains("with a different spec; nothing was submitted", rejected.Reason);
        Assert.Equal(1, (await cluster.Runs.TryGetAsync("taken", default))!.Value.Run.Spec.Modules.Epochs);
        Assert.Null(await cluster.Runs.TryGetRefusalAsync("taken", default));
    }

    // SIGTERM, not SIGINT: the same handler, but a test run from a background job inherits SIGINT ignored.
    [Fact]
    public async Task Submit_stopped_before_it_could_send_says_nothing_was_submitted()
    {
        var blobs = new BlobContainer();
        // Nothing listens on port 1: the CLI never gets as far as sending.
        await using var cli = new CliProcess(["submit", "--run-id", "never-sent", "--container", blobs.Name],
            Environment("amqp://guest:guest@127.0.0.1:1/", blobs));
        await Task.Delay(TimeSpan.FromSeconds(10));

        cli.Signal("TERM");

        Assert.Equal(CommandErrors.Cancelled, await cli.ExitAsync());
        Assert.Contains("stopped: nothing was submitted; run the same command again to submit run never-sent.", cli.Error);
    }

    [Fact]
    public async Task Submit_stopped_while_waiting_for_the_answer_says_the_run_was_submitted_but_not_yet_answered()
    {
        await using var broker = await Broker.CreateAsync();
        var blobs = new BlobContainer();
        await using var cli = new CliProcess(["submit", "--run-id", "unanswered", "--container", blobs.Name, "--spec", SpecFile(TinyRun.Spec())],
            Environment(broker.Uri, blobs));
        await cli.WaitForOutputAsync("submitted run unanswered; waiting for the Assembler's answer", TimeSpan.FromMinutes(1));

        cli.Signal("TERM");

        Assert.Equal(CommandErrors.Cancelled, await cli.ExitAsync());
        Assert.Contains("stopped: run unanswered was submitted but the Assembler had not answered yet; `cloudassembly status --run-id unanswered` tells", cli.Error);
    }

    [Theory]
    [InlineData("https://127.0.0.1:{0}#fmnist/v1")]
    [InlineData("BlobEndpoint=http://127.0.0.1:{0}/evil;AccountName=evil;AccountKey=ZXZpbA==#fmnist/v1")]
    public async Task Run_refuses_a_dataset_on_a_foreign_host_without_connecting_to_it(string dataPath)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var spec = TinyRun.Spec() with { DataSet = "SHARDS", DataPath = string.Format(dataPath, port) };
            var folder = Path.Combine(Path.GetTempPath(), "cloudassembly-tests", $"foreign-{Guid.NewGuid():N}");

            var run = await CliProcess.RunAsync(["run", "--spec", SpecFile(spec), "--store", folder, "--run-id", "foreign"]);

            Assert.Equal(CommandErrors.UserError, run.ExitCode);
            Assert.Contains($"Run 'foreign' is refused: the SHARDS data path reads the blob store at 127.0.0.1:{port}, which is neither this cluster's store " +
                "nor an allowed data host (an operator can allow it in Assembler:AllowedDataHosts).", run.Output);
            Assert.All(run.Output.Split('\n').Where(l => l.Contains("is refused", StringComparison.Ordinal)), line => Assert.DoesNotContain("ZXZpbA", line));
            Assert.False(listener.Pending(), "something connected to the foreign host");
        }
        finally
        {
            listener.Stop();
        }
    }
}
