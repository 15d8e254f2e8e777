using System.Text.Json;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Assembler.Launching;
using CloudAssembly.Orchestration.Runs;
using k8s;
using k8s.Models;

namespace CloudAssembly.Orchestration.Tests;

/// <summary>A phase attempt as the Kubernetes Job the launcher creates, and what the launcher reads back from the cluster.</summary>
public sealed class AttemptJobTests : IDisposable
{
    private const string Template = """
        metadata:
          labels:
            app.kubernetes.io/name: trainer
        spec:
          serviceAccountName: trainer
          nodeSelector:
            kubernetes.azure.com/agentpool: gpu
          containers:
            - name: trainer
              image: registry.example/cloudassembly/trainer:1.0-cuda
              resources:
                limits:
                  nvidia.com/gpu: "8"
            - name: sidecar
              image: registry.example/sidecar:1
        """;

    private static readonly JobOptions Options = new() { Namespace = "ml", Queue = "team-a" };
    private readonly string folder = Directory.CreateTempSubdirectory("attempt-job-tests-").FullName;

    private static IReadOnlyList<TrainPhase> Ranks(string runId = "r-1", int nodes = 2, int attempt = 2, int generation = 1)
    {
        var spec = RunSpec.FashionMnistDemo();
        var dataset = new DatasetRef("SHARDS", "fmnist/v1", "fmnist", "v1");
        return [.. Enumerable.Range(0, nodes).Select(node =>
            new TrainPhase(runId, PhaseKey.Finetune, attempt, $"{runId}.FT.{attempt}", spec, dataset, ["m"], generation, node, nodes))];
    }

    private V1PodTemplateSpec LoadTemplate(string yaml = Template)
    {
        var path = Path.Combine(folder, $"{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return AttemptJobTemplate.Load(path);
    }

    [Fact]
    public void An_attempt_on_two_nodes_is_one_indexed_job_of_two_pods_that_kueue_admits_together_and_never_retries_itself()
    {
        var template = LoadTemplate();
        var job = AttemptJob.Build(Ranks(), template, Options);

        Assert.Equal(("Indexed", 2, 2, 0, true), (job.Spec.CompletionMode, job.Spec.Completions, job.Spec.Parallelism, job.Spec.BackoffLimit, job.Spec.Suspend));
        Assert.Equal("team-a", job.Metadata.Labels["kueue.x-k8s.io/queue-name"]);
        Assert.Equal("ml", job.Metadata.NamespaceProperty);
        Assert.Equal(3600, job.Spec.TtlSecondsAfterFinished);
        var pod = job.Spec.Template;
        Assert.Equal("Never", pod.Spec.RestartPolicy);
        Assert.Equal(("r-1", "FT", "2", "trainer"), (pod.Metadata.Labels["cloudassembly.io/run"], pod.Metadata.Labels["cloudassembly.io/phase"],
            pod.Metadata.Labels["cloudassembly.io/attempt"], pod.Metadata.Labels["app.kubernetes.io/name"]));
        // The platform team's pod stays as it wrote it; the trainer container gets the attempt's arguments, nothing else does.
        Assert.Equal("gpu", pod.Spec.NodeSelector["kubernetes.azure.com/agentpool"]);
        var trainer = pod.Spec.Containers.Single(c => c.Name == "trainer");
        Assert.Equal("registry.example/cloudassembly/trainer:1.0-cuda", trainer.Image);
        Assert.Equal(new AttemptArguments("r-1", PhaseKey.Finetune, "r-1.FT.2", 1), AttemptArguments.Parse([.. trainer.Args]));
        Assert.Null(pod.Spec.Containers.Single(c => c.Name == "sidecar").Args);
        Assert.Null(template.Spec.Containers[0].Args);
        Assert.Equal(("r-1", PhaseKey.Finetune, "r-1.FT.2", 1), AttemptJob.AttemptOf(job));
    }

    [Fact]
    public void The_pod_failure_policy_tells_a_preempted_trainer_and_a_disrupted_pod_from_a_failed_one()
    {
        var rules = AttemptJob.Build(Ranks(), LoadTemplate(), Options).Spec.PodFailurePolicy.Rules;

        Assert.All(rules, r => Assert.Equal("FailJob", r.Action));
        Assert.Equal(("In", $"{(int)AttemptEnd.Preempted}"), (rules[0].OnExitCodes.OperatorProperty, string.Join(',', rules[0].OnExitCodes.Values)));
        Assert.Equal("DisruptionTarget", Assert.Single(rules[1].OnPodConditions).Type);
        Assert.Equal(("NotIn", "0"), (rules[2].OnExitCodes.OperatorProperty, string.Join(',', rules[2].OnExitCodes.Values)));
        Assert.Equal(1, AttemptJob.LastPreemptionRule);
    }

    [Fact]
    public void The_pod_template_the_overlays_ship_loads_strictly_and_becomes_a_job_of_one_shot_trainers()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "CloudAssembly.sln")))
            root = root.Parent!;
        var template = AttemptJobTemplate.Load(Path.Combine(root.FullName, "k8s", "base", "trainer-job", "pod-template.yaml"));

        var job = AttemptJob.Build(Ranks(), template, Options);

        var pod = job.Spec.Template.Spec;
        Assert.Equal(AttemptArguments.Verb, pod.Containers.Single(c => c.Name == AttemptJob.ContainerName).Args[0]);
        Assert.Equal(1, AttemptJobTemplate.GpusPerPod(template));
        Assert.Contains(pod.Volumes, v => v.Ephemeral is not null);
        Assert.All(pod.Containers, c => Assert.Null(c.Lifecycle?.PreStop));
    }

    [Fact]
    public void Without_a_queue_the_job_starts_at_once()
    {
        var job = AttemptJob.Build(Ranks(), LoadTemplate(), Options with { Queue = "" });

        Assert.False(job.Spec.Suspend);
        Assert.DoesNotContain("kueue.x-k8s.io/queue-name", job.Metadata.Labels.Keys);
    }

    [Fact]
    public void Job_names_are_dns_labels_with_room_for_the_pod_index_one_per_attempt_and_generation()
    {
        var longRun = new string('a', 63);
        string[] names = [AttemptJob.Name("r-1.MT_3.2", 1), AttemptJob.Name("r-1.MT_3.2", 2), AttemptJob.Name($"{longRun}.FT.1", 1),
            AttemptJob.Name($"{longRun}.FT.2", 1)];

        Assert.Equal("ca-r-1-mt-3-2-g1", names[0]);
        Assert.All(names, n => Assert.Matches(@"^[a-z0-9]([a-z0-9-]{0,50}[a-z0-9])?$", n));
        Assert.Equal(names.Length, names.Distinct().Count());
        Assert.Equal(names[2], AttemptJob.Name($"{longRun}.FT.1", 1));
    }

    [Fact]
    public void A_job_must_hold_every_rank_of_one_attempt()
    {
        var ranks = Ranks(nodes: 2);
        Assert.Throws<ArgumentException>(() => AttemptJob.Build([ranks[0]], LoadTemplate(), Options));
        Assert.Throws<ArgumentException>(() => AttemptJob.Build([ranks[0], Ranks(attempt: 3)[1]], LoadTemplate(), Options));
    }

    [Theory]
    [InlineData("spec:\n  containers:\n    - name: worker\n      image: x\n", "no container named 'trainer' (found: worker)")]
    [InlineData("spec:\n  restartPolicy: OnFailure\n  containers:\n    - name: trainer\n      image: x\n", "restartPolicy OnFailure")]
    [InlineData("spec:\n  containers:\n    - name: trainer\n      imagee: x\n", "is not a PodTemplateSpec")]
    public void A_broken_template_stops_the_assembler_naming_the_file_and_what_is_wrong(string yaml, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => LoadTemplate(yaml));

        Assert.Contains(expected, e.Message);
        Assert.Contains(folder, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_missing_template_names_the_configmap_to_mount()
    {
        var e = Assert.Throws<FileNotFoundException>(() => AttemptJobTemplate.Load(Path.Combine(folder, "none.yaml")));

        Assert.Contains("trainer-job-template ConfigMap", e.Message);
    }

    [Theory]
    [InlineData(0, PlacementState.Preempted)]
    [InlineData(1, PlacementState.Preempted)]
    [InlineData(2, PlacementState.Failed)]
    public void A_failed_job_is_preempted_or_failed_by_the_pod_failure_policy_rule_that_matched(int rule, PlacementState expected)
    {
        var job = AttemptJob.Build(Ranks(), LoadTemplate(), Options);
        var message = $"Container trainer for pod ml/{job.Metadata.Name}-1-x7k2p failed with exit code 137 matching FailJob rule at index {rule}";
        job.Status = new V1JobStatus { Conditions = [new V1JobCondition { Type = "Failed", Status = "True", Reason = "PodFailurePolicy", Message = message }] };

        var (state, detail) = JobPlacement.Read(job, null, "team-a", 8);

        Assert.Equal(expected, state);
        Assert.Equal($"Job {job.Metadata.Name}: {message}", detail);
    }

    [Fact]
    public void A_job_kueue_holds_says_how_many_gpus_it_needs_and_why_it_waits()
    {
        var job = AttemptJob.Build(Ranks(), LoadTemplate(), Options);
        job.Metadata.Uid = "3f6c-uid";
        var workloads = JsonSerializer.Deserialize<JsonElement>("""
            {"apiVersion":"kueue.x-k8s.io/v1beta2","kind":"WorkloadList","items":[
              {"metadata":{"name":"job-ca-r-1-ft-2-g1-5d1c2","ownerReferences":[{"apiVersion":"batch/v1","kind":"Job","name":"ca-r-1-ft-2-g1","uid":"3f6c-uid","controller":true}]},
               "status":{"conditions":[{"type":"QuotaReserved","status":"False","reason":"Pending",
                 "message":"couldn't assign flavors to pod set main: insufficient quota for nvidia.com/gpu in flavor gpu, request > maximum capacity (16 > 8)"}]}},
              {"metadata":{"name":"job-other","ownerReferences":[{"apiVersion":"batch/v1","kind":"Job","name":"other","uid":"9-uid"}]},
               "status":{"conditions":[{"type":"QuotaReserved","status":"True","reason":"QuotaReserved","message":"Quota reserved in ClusterQueue gpu"}]}}]}
            """);

        var placed = JobPlacement.Of(job, JobPlacement.Admissions(workloads), "team-a", AttemptJobTemplate.GpusPerPod(LoadTemplate()));

        Assert.Equal(PlacementState.Waiting, placed!.State);
        Assert.Equal("waiting for admission by Kueue queue 'team-a' (2 pod(s) × 8 GPU(s) = 16 GPUs together): couldn't assign flavors to pod set " +
            "main: insufficient quota for nvidia.com/gpu in flavor gpu, request > maximum capacity (16 > 8)", placed.Detail);
    }

    [Fact]
    public void An_admitted_job_runs_and_a_complete_one_succeeded()
    {
        var job = AttemptJob.Build(Ranks(), LoadTemplate(), Options);
        job.Spec.Suspend = false;
        Assert.Equal(PlacementState.Running, JobPlacement.Read(job, null, "team-a", 8).State);

        job.Status = new V1JobStatus { Conditions = [new V1JobCondition { Type = "Complete", Status = "True" }] };
        Assert.Equal(PlacementState.Succeeded, JobPlacement.Read(job, null, "team-a", 8).State);
    }

    [Fact]
    public void Jobs_that_are_not_ours_are_not_read_as_attempts()
    {
        var job = new V1Job { Metadata = new V1ObjectMeta { Name = "nightly-backup", Labels = new Dictionary<string, string> { ["app"] = "backup" } } };

        Assert.Null(JobPlacement.Of(job, new Dictionary<string, string>(), "team-a", 0));
    }

    [Fact]
    public void The_job_survives_a_round_trip_through_the_api_servers_json()
    {
        var job = AttemptJob.Build(Ranks(), LoadTemplate(), Options);

        var read = KubernetesJson.Deserialize<V1Job>(KubernetesJson.Serialize(job));

        Assert.Equal(AttemptJob.AttemptOf(job), AttemptJob.AttemptOf(read));
        Assert.Equal(job.Spec.Template.Spec.Containers[0].Args, read.Spec.Template.Spec.Containers[0].Args);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
