using k8s.Models;

namespace CloudAssembly.Deploy.Tests;

/// <summary>The pod each phase attempt's Job runs (ConfigMap trainer-job-template in the gpu overlay).</summary>
public sealed class TrainerJobTemplateTests
{
    private static IReadOnlyList<object> Objects => RenderedOverlays.Objects(RenderedOverlays.Gpu);

    private static V1PodTemplateSpec Template => Manifests.JobTemplate(Objects);

    [KubectlFact]
    public void The_template_runs_one_trainer_once_as_the_trainer_account_with_the_labels_policies_select()
    {
        var pod = Template.Spec;
        var container = pod.Containers.Single();

        Assert.Equal("Never", pod.RestartPolicy);
        Assert.Equal("trainer", pod.ServiceAccountName);
        Assert.Equal("trainer", container.Name);
        Assert.Null(container.Args);
        Assert.Null(container.Command);
        Assert.Null(container.Lifecycle?.PreStop);
        Assert.Null(container.LivenessProbe);
        Assert.Equal("trainer", Template.Metadata.Labels["app.kubernetes.io/name"]);
        Assert.Equal("cloudassembly", Template.Metadata.Labels["app.kubernetes.io/part-of"]);
        Assert.Equal("true", Template.Metadata.Labels["azure.workload.identity/use"]);
        Assert.DoesNotContain(container.Env, e => e.Name == "JOB_COMPLETION_INDEX");
    }

    [KubectlFact]
    public void The_template_reads_the_settings_every_service_reads_and_trains_on_cuda()
    {
        var container = Template.Spec.Containers.Single();
        var config = container.EnvFrom.Single().ConfigMapRef.Name;

        Assert.Contains(Objects.OfType<V1ConfigMap>(), c => c.Metadata.Name == config && c.Data.ContainsKey("ConnectionStrings__blobs"));
        Assert.Equal(("rabbitmq-users", "trainer"), container.Env.Single(e => e.Name == "RABBITMQ_PASSWORD").ValueFrom.SecretKeyRef is var s ? (s.Name, s.Key) : default);
        Assert.StartsWith("amqp://trainer:$(RABBITMQ_PASSWORD)@rabbitmq:5672", Manifests.Env(container, "ConnectionStrings__rabbit"));
        Assert.Equal("cuda", Manifests.Env(container, "Trainer__Device"));
        Assert.Equal("metadata.name", container.Env.Single(e => e.Name == "Trainer__Name").ValueFrom.FieldRef.FieldPath);
        Assert.Equal("eth0", Manifests.Env(container, "NCCL_SOCKET_IFNAME"));
    }

    [KubectlFact]
    public void Each_pod_takes_its_gpus_on_the_tainted_pool_with_time_to_checkpoint_after_sigterm()
    {
        var pod = Template.Spec;
        var resources = pod.Containers.Single().Resources;

        Assert.True(decimal.Parse(Manifests.Quantity(resources.Limits, "nvidia.com/gpu")!) >= 1);
        Assert.Equal(Manifests.Quantity(resources.Requests, "nvidia.com/gpu"), Manifests.Quantity(resources.Limits, "nvidia.com/gpu"));
        Assert.Equal(["kubernetes.azure.com/agentpool"], pod.NodeSelector.Keys);
        Assert.False(string.IsNullOrWhiteSpace(pod.NodeSelector["kubernetes.azure.com/agentpool"]));
        Assert.Contains(pod.Tolerations, t => t is { Key: "sku", Value: "gpu", Effect: "NoSchedule", OperatorProperty: "Equal" });
        Assert.Contains(pod.Tolerations, t => t is { Key: "nvidia.com/gpu", Effect: "NoSchedule", OperatorProperty: "Exists" });
        Assert.InRange(pod.TerminationGracePeriodSeconds ?? 30, 120, 900);
        Assert.True(Objects.OfType<V1PriorityClass>().Single(p => p.Metadata.Name == pod.PriorityClassName).Value > 0);
        Assert.Contains(pod.TopologySpreadConstraints, t => t.TopologyKey == "kubernetes.io/hostname" && t.MatchLabelKeys.Contains("batch.kubernetes.io/controller-uid"));
    }

    [KubectlFact]
    public void Phase_files_and_the_shard_cache_live_on_a_disk_of_the_pods_own_that_the_cache_never_fills()
    {
        var pod = Template.Spec;
        var container = pod.Containers.Single();
        var work = container.VolumeMounts.Single(m => m.MountPath == "/work");
        var claim = pod.Volumes.Single(v => v.Name == work.Name).Ephemeral.VolumeClaimTemplate.Spec;
        var size = claim.Resources.Requests["storage"].ToDecimal();
        var bound = new ResourceQuantity(Manifests.Env(container, "CLOUDASSEMBLY_CACHE_MAX_BYTES")!).ToDecimal();

        Assert.StartsWith("/work/", Manifests.Env(container, "CLOUDASSEMBLY_CACHE"));
        Assert.StartsWith("/work/", Manifests.Env(container, "Trainer__WorkFolder"));
        Assert.NotEqual(Manifests.Env(container, "CLOUDASSEMBLY_CACHE"), Manifests.Env(container, "Trainer__WorkFolder"));
        Assert.False(string.IsNullOrWhiteSpace(claim.StorageClassName));
        Assert.Equal(["ReadWriteOnce"], claim.AccessModes);
        Assert.True(bound < size, $"The shard cache's bound {bound} is not below its disk's size {size}.");
        // The node's OS disk holds only /tmp and logs: far below AKS's default 128 GB OS disk.
        Assert.True(new ResourceQuantity(Manifests.Quantity(container.Resources.Limits, "ephemeral-storage")!).ToDecimal() < 16m * 1024 * 1024 * 1024);
    }

    [Fact]
    public void The_base_template_file_parses_strictly_as_a_pod_template()
    {
        var text = File.ReadAllText(Path.Combine(Repository.K8s, "base", "trainer-job", Manifests.PodTemplateKey));

        var template = Manifests.LoadPodTemplate(text);

        Assert.Equal("trainer", template.Spec.Containers.Single().Name);
        Assert.ThrowsAny<Exception>(() => Manifests.LoadPodTemplate(text.Replace("restartPolicy:", "restartPolicyy:")));
    }
}
