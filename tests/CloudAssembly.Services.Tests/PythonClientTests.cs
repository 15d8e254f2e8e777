using System.Diagnostics;
using System.Text.Json;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using Xunit.Abstractions;

namespace CloudAssembly.Services.Tests;

/// <summary>
/// Runs from another language under the same rules: Debian's python3-pika, through eng/clients/python, publishes
/// MassTransit envelopes on its own broker user, follows a run it submitted to its outcome, and is refused when it
/// cancels a run it does not own.
/// </summary>
[Collection("services")]
public class PythonClientTests(ITestOutputHelper output)
{
    private static readonly string Client = Path.Combine(Repository.Root, "eng", "clients", "python", "cloudassembly_client.py");

    [Fact]
    public async Task A_python_client_submits_and_follows_its_run_to_completion_and_cannot_cancel_another_users_run()
    {
        await using var cluster = await ServiceCluster.StartAsync(trainers: 2, ownBrokerUsers: true);
        var python = await cluster.Broker.AddUserAsync("submitter", "python");
        var spec = Path.Combine(Path.GetTempPath(), $"python-spec-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(spec, JsonSerializer.Serialize(TinyRun.Fast(), JsonSerializerOptions.Web));
        var theirs = new RunHarness(cluster.Bus, cluster.Runs, $"pyo-{Guid.NewGuid():N}"[..16]);
        var ours = $"pyc-{Guid.NewGuid():N}"[..16];
        try
        {
            // A run of the test's own submitter user, which the Python user then tries to cancel.
            var othersRun = theirs.RunAsync(TinyRun.Fast(), timeout: TimeSpan.FromMinutes(8));
            await WaitForAsync(() => cluster.Runs.TryGetAsync(theirs.RunId, default));
            var (cancelCode, cancelOut) = await RunPythonAsync("cancel", "--broker", python, "--run-id", theirs.RunId, "--reason", "python wants the trainers");
            Assert.Equal(0, cancelCode);

            var (code, text) = await RunPythonAsync("submit", "--broker", python, "--run-id", ours, "--spec", spec, "--follow", "--timeout", "480");
            output.WriteLine(cancelOut + text);

            Assert.Equal(0, code);
            Assert.Contains($"SubmitRun sent for {ours}", text);
            Assert.Contains("PhaseStarted PT", text);
            Assert.EndsWith("RunCompleted", text.TrimEnd());
            var run = (await cluster.Runs.TryGetAsync(ours, default))!.Value.Run;
            Assert.Equal(RunStatus.Completed, run.Status);
            Assert.EndsWith("-python", run.Owner);

            Assert.IsType<RunCompleted>(await othersRun);
            Assert.Contains($"Cancel of run {theirs.RunId} by broker user '{BrokerUserOf(python)}' refused", cluster.Process("assembler").Log);
        }
        finally
        {
            File.Delete(spec);
            output.WriteLine(cluster.Logs);
        }
        output.WriteLine("SCENARIO a Python (pika) client on its own broker user | submitted and followed its run to RunCompleted; its cancel of " +
            "another user's run refused | none | attempts 1 each");
    }

    private static string BrokerUserOf(string uri) => Uri.UnescapeDataString(new Uri(uri).UserInfo.Split(':')[0]);

    private static async Task WaitForAsync<T>(Func<Task<T?>> read)
    {
        for (var tries = 0; await read() is null; tries++)
        {
            Assert.True(tries < 120, "the run was never stored");
            await Task.Delay(500);
        }
    }

    private static async Task<(int Code, string Output)> RunPythonAsync(params string[] args)
    {
        var info = new ProcessStartInfo("/usr/bin/python3", [Client, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(9));
        return (process.ExitCode, await stdout + await stderr);
    }
}
