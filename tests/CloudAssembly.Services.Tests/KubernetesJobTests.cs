using CloudAssembly.Cli.Client;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using Xunit.Abstractions;

namespace CloudAssembly.Services.Tests;

/// <summary>
/// Phase attempts as Kubernetes Jobs of one-shot trainers, end to end on the real RabbitMQ and Azurite: the Assembler's
/// Kubernetes launcher talks to <see cref="JobClusterDouble"/>, which starts each Job's pods as trainer processes
/// with <c>JOB_COMPLETION_INDEX</c>, as a kubelet would.
/// </summary>
[Collection("services")]
public sealed class KubernetesJobTests(ITestOutputHelper output) : IDisposable
{
    private const string PodTemplate = """
        metadata:
          labels:
            app.kubernetes.io/name: trainer
        spec:
          serviceAccountName: trainer
          containers:
            - name: trainer
              image: cloudassembly/trainer:test
        """;

    private readonly string template = Path.Combine(Path.GetTempPath(), $"pod-template-{Guid.NewGuid():N}.yaml");

    private async Task<(JobClusterDouble Jobs, ServiceCluster Cluster)> StartAsync()
    {
        File.WriteAllText(template, PodTemplate);
        var jobs = new JobClusterDouble();
        var cluster = await ServiceCluster.StartAsync(trainers: 0, perService: s => s == "assembler" ? jobs.AssemblerSettings(template) : null);
        jobs.Attach(cluster);
        return (jobs, cluster);
    }

    private static RunSpec TwoNodePretrain()
    {
        var fast = TinyRun.Fast();
        return fast with { Pretrain = fast.Pretrain with { Epochs = 2, BatchSize = 32, Nodes = 2 }, TrainLimit = 512 };
    }

    [Fact]
    public async Task A_two_node_phase_runs_as_one_job_of_two_one_shot_trainers_that_all_exit_when_the_run_is_done()
    {
        var (jobs, cluster) = await StartAsync();
        await using var _ = jobs;
        await using var __ = cluster;
        var harness = new RunHarness(cluster.Bus, cluster.Runs, $"jobs-{Guid.NewGuid():N}"[..16]);
        object outcome;
        try
        {
            outcome = await harness.RunAsync(TwoNodePretrain(), timeout: TimeSpan.FromMinutes(8));
            foreach (var (_, pods) in jobs.Created)
                foreach (var pod in pods)
                    Assert.True(await pod.WaitForExitAsync(TimeSpan.FromSeconds(60)), $"{pod.Name} is still running after its run ended");
        }
        finally
        {
            output.WriteLine(cluster.Logs);
        }

        Assert.IsType<RunCompleted>(outcome);
        var run = (await cluster.Runs.TryGetAsync(harness.RunId, default))!.Value.Run;
        Assert.All(run.Phases.Values, p => Assert.Equal((PhaseStatus.Completed, 1), (p.Status, p.Attempt)));
        // One Job per phase, PT's with two pods; every pod trained its share and exited 0.
        Assert.Equal(run.Phases.Keys.Select(k => $"ca-{harness.RunId}-{k.ToString().ToLowerInvariant().Replace('_', '-')}-1-g1").Order(),
            jobs.Created.Select(j => j.Name).Order());
        Assert.Equal(2, jobs.Created.Single(j => j.Name.EndsWith("-pt-1-g1", StringComparison.Ordinal)).Pods.Count);
        Assert.All(jobs.Created.SelectMany(j => j.Pods), p => Assert.Equal(0, p.ExitCode));

        var folder = BlobLayout.PhaseFolder(harness.RunId, PhaseKey.Pretrain);
        var blobs = cluster.Store.ListAsync(folder).ToBlockingEnumerable().Select(b => b.Name[folder.Length..]).ToList();
        Assert.All(blobs, b => Assert.Matches(@"^(latest\.json|lease-[01]\.json|attempt-1/(checkpoint-[01]\.pth|log\.txt|steps\.txt|finished_checkpoint\.pth))$", b));
        Assert.Contains("attempt-1/finished_checkpoint.pth", blobs);
    }

    [Fact]
    public async Task A_killed_pod_fails_its_job_and_the_whole_attempt_at_once_and_a_new_job_resumes_from_the_last_checkpoint()
    {
        var (jobs, cluster) = await StartAsync();
        await using var _ = jobs;
        await using var __ = cluster;
        var harness = new RunHarness(cluster.Bus, cluster.Runs, $"jobk-{Guid.NewGuid():N}"[..16]);
        ServiceProcess? victim = null;
        var killedAt = TimeSpan.Zero;
        object outcome;
        try
        {
            outcome = await harness.RunAsync(TwoNodePretrain(), e =>
            {
                // Epoch 0 is checkpointed (its end is reported after the upload): both ranks are in epoch 1 by then.
                if (e is PhaseProgress { Phase.Kind: PhaseKind.PT, Epoch: 0, Accuracy: not null } && victim is null)
                {
                    victim = jobs.Created.Single().Pods[1];
                    killedAt = harness.Events.Last().At;
                    output.WriteLine($"SIGKILL to {victim.Name}, node 1 of PT");
                    victim.Kill();
                }
            }, TimeSpan.FromMinutes(8));
        }
        finally
        {
            output.WriteLine(cluster.Logs);
        }

        Assert.IsType<RunCompleted>(outcome);
        Assert.NotNull(victim);
        var pt = (await cluster.Runs.TryGetAsync(harness.RunId, default))!.Value.Run.Phases[PhaseKey.Pretrain];
        Assert.Equal((PhaseStatus.Completed, 2), (pt.Status, pt.Attempt));
        // The Job's failure, not a lease timeout, ended the attempt: its reason is the pod failure policy's.
        var redispatched = Assert.Single(harness.Of<PhaseRedispatched>(), r => r.Phase == PhaseKey.Pretrain);
        Assert.Contains($"a pod of attempt 1 failed (Job ca-{harness.RunId}-pt-1-g1: Container trainer for pod cloudassembly/{victim.Name}", redispatched.Reason);
        Assert.Contains("exit code 137 matching FailJob rule at index 2", redispatched.Reason);
        var lostAfter = harness.When(e => e is PhaseRedispatched) - killedAt;
        output.WriteLine($"attempt 1 given up {lostAfter.TotalSeconds:F1} s after the kill (lease timeout 10 s, peer silence bound 30 s)");

        // The surviving pod of attempt 1 was stopped with its Job; attempt 2 is a new Job, which resumed at epoch 1.
        var attemptOne = jobs.Created.Single(j => j.Name.EndsWith("-pt-1-g1", StringComparison.Ordinal));
        Assert.True(await attemptOne.Pods[0].WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(jobs.Created, j => j.Name.EndsWith("-pt-2-g1", StringComparison.Ordinal) && j.Pods.Count == 2);
        Assert.Contains(attemptOne.Name, jobs.Deleted);
        var (_, epochs) = await cluster.PhaseLogAsync(harness.RunId, PhaseKey.Pretrain);
        Assert.Equal([0, 1], epochs.Select(e => e.Epoch));
        Assert.Contains(cluster.Processes, p => p.Name.Contains("-pt-2-g1-", StringComparison.Ordinal) && p.Log.Contains("continuing at epoch 1", StringComparison.Ordinal));
        output.WriteLine($"SCENARIO pod SIGKILLed mid-epoch on a 2-pod PT Job | attempt 1 failed by its Job ({lostAfter.TotalSeconds:F0} s after the kill), a new Job " +
            "resumed at epoch 1 | the steps of epoch 1 before the kill | attempts 2");
    }

    [Fact]
    public async Task A_job_the_api_server_refuses_fails_the_run_with_the_api_servers_message_on_one_line()
    {
        var (jobs, cluster) = await StartAsync();
        await using var _ = jobs;
        await using var __ = cluster;
        jobs.Forbidden = "jobs.batch is forbidden: User \"system:serviceaccount:cloudassembly:assembler\" cannot create resource \"jobs\" " +
            "in API group \"batch\" in the namespace \"cloudassembly\"";
        var harness = new RunHarness(cluster.Bus, cluster.Runs, $"jobf-{Guid.NewGuid():N}"[..16]);

        var outcome = await harness.RunAsync(TinyRun.Fast(), timeout: TimeSpan.FromMinutes(3));

        var failed = Assert.IsType<RunFailed>(outcome);
        output.WriteLine(failed.Reason);
        Assert.StartsWith($"PT failed after 1 attempt(s): Kubernetes refused Job ca-{harness.RunId}-pt-1-g1 for PT attempt 1 (403): {jobs.Forbidden}",
            failed.Reason);
        Assert.DoesNotContain('\n', failed.Reason);
        Assert.Empty(jobs.Created);
    }

    [Fact]
    public async Task A_job_kueue_does_not_admit_shows_why_in_watch_and_status_and_runs_once_admitted()
    {
        File.WriteAllText(template, PodTemplate);
        await using var jobs = new JobClusterDouble { QuotaShort = "couldn't assign flavors to pod set main: insufficient quota for " +
            "nvidia.com/gpu in flavor gpu, request > maximum capacity (16 > 8)" };
        var settings = new Dictionary<string, string>(jobs.AssemblerSettings(template)) { ["Assembler__Jobs__Queue"] = "cloudassembly" };
        await using var cluster = await ServiceCluster.StartAsync(trainers: 0, perService: s => s == "assembler" ? settings : null);
        jobs.Attach(cluster);
        var harness = new RunHarness(cluster.Bus, cluster.Runs, $"jobw-{Guid.NewGuid():N}"[..16]);
        string? stored = null;
        object outcome;
        try
        {
            outcome = await harness.RunAsync(TinyRun.Fast(), e =>
            {
                if (e is not PhaseWaiting { Phase.Kind: PhaseKind.PT } || stored is not null)
                    return;
                stored = cluster.Runs.TryGetAsync(harness.RunId, default).GetAwaiter().GetResult()!.Value.Run.Phases[PhaseKey.Pretrain].Waiting;
                jobs.Admit();
            }, TimeSpan.FromMinutes(6));
        }
        finally
        {
            output.WriteLine(cluster.Logs);
        }

        Assert.IsType<RunCompleted>(outcome);
        var waiting = harness.Of<PhaseWaiting>().First(w => w.Phase == PhaseKey.Pretrain);
        Assert.Equal("waiting for admission by Kueue queue 'cloudassembly' (1 pod(s) together): couldn't assign flavors to pod set main: " +
            "insufficient quota for nvidia.com/gpu in flavor gpu, request > maximum capacity (16 > 8)", waiting.Reason);
        Assert.Equal(waiting.Reason, stored);
        Assert.Equal($"PT     attempt 1 {waiting.Reason}", CloudAssembly.Cli.Progress.RunEventText.Line(waiting));
        var pt = (await cluster.Runs.TryGetAsync(harness.RunId, default))!.Value.Run.Phases[PhaseKey.Pretrain];
        Assert.Equal((1, null), (pt.Attempt, pt.Waiting));
    }

    public void Dispose() => File.Delete(template);
}
