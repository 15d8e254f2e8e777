using CloudAssembly.Deploy.Tests.Keda;

namespace CloudAssembly.Deploy.Tests;

/// <summary>
/// The long-lived trainers of the queue launcher (overlays/local-cpu): KEDA scales them with the waiting phases, from
/// zero; a pod leaving mid-phase trains on first. The gpu overlay runs phases as Jobs instead (TrainerJobTemplateTests).
/// </summary>
public sealed class TrainerScalingTests
{
    [KubectlFact]
    public void Keda_scales_the_trainer_deployment_from_zero_on_the_trainer_queue_as_its_read_only_user()
    {
        var objects = RenderedOverlays.Objects(RenderedOverlays.LocalCpu);
        var scaler = objects.OfType<ScaledObject>().Single();
        var trigger = scaler.Spec.Triggers.Single();
        var auth = objects.OfType<TriggerAuthentication>().Single(a => a.Metadata.Name == trigger.AuthenticationRef!.Name);
        var host = auth.Spec.SecretTargetRef.Single(r => r.Parameter == "host");

        Assert.Null(Manifests.Deployment(objects, "trainer").Spec.Replicas);
        Assert.Equal("trainer", scaler.Spec.ScaleTargetRef.Name);
        Assert.Equal((0, 2), (scaler.Spec.MinReplicaCount, scaler.Spec.MaxReplicaCount));
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

    [KubectlFact]
    public void A_trainer_chosen_for_scale_down_waits_for_its_phase_folder_to_empty_within_its_grace_period()
    {
        var trainer = Manifests.Deployment(RenderedOverlays.Objects(RenderedOverlays.LocalCpu), "trainer");
        var container = Manifests.Container(trainer);
        var hold = container.Lifecycle.PreStop.Exec.Command[^1];
        var drain = int.Parse(Manifests.Env(container, "TRAINER_DRAIN_SECONDS")!);

        Assert.Contains($"ls -A {Manifests.Env(container, "Trainer__WorkFolder")})", hold);
        Assert.Contains("$TRAINER_DRAIN_SECONDS", hold);
        Assert.True(trainer.Spec.Template.Spec.TerminationGracePeriodSeconds > drain + 30,
            "The grace period must outlast the preStop hold and leave time to checkpoint after SIGTERM.");
    }
}
