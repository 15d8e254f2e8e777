using k8s.Models;

namespace CloudAssembly.Deploy.Tests;

public sealed class GpuOverlayTests
{
    private static readonly string[] Services = ["assembler", "data-prep", "trainer"];

    /// <summary>What marks every value the operator must set: nothing that could pass for a real registry, account or identity.</summary>
    private const string Placeholder = "REPLACE-ME";

    private static IReadOnlyList<object> Objects => RenderedOverlays.Objects(RenderedOverlays.Gpu);

    [KubectlFact]
    public void Trainers_take_one_gpu_each_on_the_tainted_gpu_pool_and_train_on_cuda()
    {
        var trainer = Manifests.Deployment(Objects, "trainer");
        var pod = trainer.Spec.Template.Spec;
        var container = Manifests.Container(trainer);

        Assert.Equal("1", Manifests.Quantity(container.Resources.Limits, "nvidia.com/gpu"));
        Assert.Contains(pod.Tolerations, t => t.Key == "nvidia.com/gpu" && t.Effect == "NoSchedule" && t.OperatorProperty == "Exists");
        Assert.Contains(pod.Tolerations, t => t is { Key: "sku", Value: "gpu", Effect: "NoSchedule", OperatorProperty: "Equal" });
        Assert.Equal(["kubernetes.azure.com/agentpool"], pod.NodeSelector.Keys);
        Assert.Equal(Placeholder, pod.NodeSelector["kubernetes.azure.com/agentpool"][..Placeholder.Length]);
        Assert.Equal("cuda", Manifests.Env(container, "Trainer__Device"));
        Assert.Equal("metadata.name", container.Env.Single(e => e.Name == "Trainer__Name").ValueFrom.FieldRef.FieldPath);
    }

    [KubectlFact]
    public void Images_come_from_the_registry_by_tag_with_the_cuda_trainer()
    {
        var images = Manifests.Workloads(Objects).SelectMany(w => w.Template.Spec.Containers).ToDictionary(c => c.Name, c => c.Image);

        Assert.Matches($"^{Placeholder}\\.azurecr\\.io/cloudassembly/trainer:[0-9.]+-cuda$", images["trainer"]);
        Assert.Matches($"^{Placeholder}\\.azurecr\\.io/cloudassembly/assembler:[0-9.]+$", images["assembler"]);
        Assert.Matches($"^{Placeholder}\\.azurecr\\.io/cloudassembly/data-prep:[0-9.]+$", images["data-prep"]);
    }

    [KubectlFact]
    public void Drains_take_trainers_one_at_a_time()
    {
        var budget = Objects.OfType<V1PodDisruptionBudget>().Single();

        Assert.Equal("1", budget.Spec.MaxUnavailable.Value);
        Assert.Equal("trainer", budget.Spec.Selector.MatchLabels["app.kubernetes.io/name"]);
    }

    [KubectlFact]
    public void Services_reach_blob_storage_by_account_url_through_workload_identity()
    {
        foreach (var name in Services)
        {
            var deployment = Manifests.Deployment(Objects, name);
            var account = Objects.OfType<V1ServiceAccount>().Single(a => a.Metadata.Name == deployment.Spec.Template.Spec.ServiceAccountName);
            var container = Manifests.Container(deployment);
            var config = Objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == container.EnvFrom.Single().ConfigMapRef.Name);

            Assert.Equal("true", deployment.Spec.Template.Metadata.Labels["azure.workload.identity/use"]);
            Assert.Equal($"{Placeholder}-{name}-identity-client-id", account.Metadata.Annotations["azure.workload.identity/client-id"]);
            Assert.DoesNotContain(container.Env, e => e.Name == "ConnectionStrings__blobs");
            Assert.Equal($"https://{Placeholder}.blob.core.windows.net", config.Data["ConnectionStrings__blobs"]);
        }
    }

    [KubectlFact]
    public void Broker_passwords_come_from_the_secret_the_operator_creates()
    {
        var referenced = Manifests.Workloads(Objects).SelectMany(w => Manifests.AllContainers(w.Template.Spec)).SelectMany(c => c.Env ?? [])
            .Select(e => e.ValueFrom?.SecretKeyRef?.Name).OfType<string>().Distinct();

        Assert.Equal(["rabbitmq-users"], referenced);
    }
}
