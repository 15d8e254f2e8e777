using CloudAssembly.Deploy.Tests.Keda;
using k8s.Models;

namespace CloudAssembly.Deploy.Tests;

/// <summary>KEDA scales trainers with the waiting phases, from zero; a pod leaving mid-phase trains on first.</summary>
public sealed class TrainerScalingTests
{
    [KubectlTheory]
    [InlineData(RenderedOverlays.LocalCpu, 2)]
    [InlineData(RenderedOverlays.Gpu, 4)]
    public void Keda_scales_the_trainer_deployment_from_zero_on_the_trainer_queue_as_its_read_only_user(string overlay, int max)
    {
        var objects = RenderedOverlays.Objects(overlay);
        var scaler = objects.OfType<ScaledObject>().Single();
        var trigger = scaler.Spec.Triggers.Single();
        var auth = objects.OfType<TriggerAuthentication>().Single(a => a.Metadata.Name == trigger.AuthenticationRef!.Name);
        var host = auth.Spec.SecretTargetRef.Single(r => r.Parameter == "host");

        Assert.Null(Manifests.Deployment(objects, "trainer").Spec.Replicas);
        Assert.Equal("trainer", scaler.Spec.ScaleTargetRef.Name);
        Assert.Equal((0, max), (scaler.Spec.MinReplicaCount, scaler.Spec.MaxReplicaCount));
        Assert.Equal(("rabbitmq", "trainer", "QueueLength", "http"),
            (trigger.Type, trigger.Metadata["queueName"], trigger.Metadata["mode"], trigger.Metadata["protocol"]));
        Assert.Equal(("rabbitmq-users", "keda-url"), (host.Name, host.Key));
        Assert.Equal(TrainerQueue(), trigger.Metadata["queueName"]);
    }

    /// <summary>The trainers' queue as the services name it (QueueNames.Trainer), wherever that file lives.</summary>
    private static string TrainerQueue()
    {
        var source = Directory.EnumerateFiles(Path.Combine(Repository.Root, "services"), "QueueNames.cs", SearchOption.AllDirectories).Single();
        return System.Text.RegularExpressions.Regex.Match(File.ReadAllText(source), @"const string Trainer = ""([^""]+)""").Groups[1].Value;
    }

    [KubectlTheory]
    [InlineData(RenderedOverlays.LocalCpu)]
    [InlineData(RenderedOverlays.Gpu)]
    public void A_trainer_chosen_for_scale_down_waits_for_its_phase_folder_to_empty_within_its_grace_period(string overlay)
    {
        var trainer = Manifests.Deployment(RenderedOverlays.Objects(overlay), "trainer");
        var container = Manifests.Container(trainer);
        var hold = container.Lifecycle.PreStop.Exec.Command[^1];
        var drain = int.Parse(Manifests.Env(container, "TRAINER_DRAIN_SECONDS")!);

        Assert.Contains($"ls -A {Manifests.Env(container, "Trainer__WorkFolder")})", hold);
        Assert.Contains("$TRAINER_DRAIN_SECONDS", hold);
        Assert.True(trainer.Spec.Template.Spec.TerminationGracePeriodSeconds > drain + 30,
            "The grace period must outlast the preStop hold and leave time to checkpoint after SIGTERM.");
    }

    [KubectlFact]
    public void Gpu_trainers_are_spread_over_nodes_kept_in_one_zone_prioritised_and_set_up_for_nccl()
    {
        var objects = RenderedOverlays.Objects(RenderedOverlays.Gpu);
        var pod = Manifests.Deployment(objects, "trainer").Spec.Template.Spec;
        var container = pod.Containers.Single();
        var priority = objects.OfType<V1PriorityClass>().Single(p => p.Metadata.Name == pod.PriorityClassName);

        Assert.True(priority.Value > 0);
        Assert.Contains(pod.TopologySpreadConstraints, t => t.TopologyKey == "kubernetes.io/hostname");
        Assert.Contains(pod.Affinity.PodAffinity.PreferredDuringSchedulingIgnoredDuringExecution,
            t => t.PodAffinityTerm.TopologyKey == "topology.kubernetes.io/zone");
        Assert.Equal("eth0", Manifests.Env(container, "NCCL_SOCKET_IFNAME"));
        Assert.Equal(Manifests.Quantity(container.Resources.Requests, "nvidia.com/gpu"), Manifests.Quantity(container.Resources.Limits, "nvidia.com/gpu"));
    }
}
