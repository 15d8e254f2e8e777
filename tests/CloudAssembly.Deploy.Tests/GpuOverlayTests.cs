using k8s.Models;

namespace CloudAssembly.Deploy.Tests;

public sealed class GpuOverlayTests
{
    private static IReadOnlyList<object> Objects => RenderedOverlays.Objects(RenderedOverlays.Gpu);

    [KubectlFact]
    public void Trainers_take_one_gpu_each_on_the_tainted_gpu_pool_and_train_on_cuda()
    {
        var trainer = Manifests.Deployment(Objects, "trainer");
        var pod = trainer.Spec.Template.Spec;
        var container = Manifests.Container(trainer);

        Assert.Equal(4, trainer.Spec.Replicas);
        Assert.Equal("1", Manifests.Quantity(container.Resources.Limits, "nvidia.com/gpu"));
        Assert.Contains(pod.Tolerations, t => t.Key == "nvidia.com/gpu" && t.Effect == "NoSchedule" && t.OperatorProperty == "Exists");
        Assert.Equal("true", pod.NodeSelector["nvidia.com/gpu.present"]);
        Assert.Equal("cuda", Manifests.Env(container, "Trainer__Device"));
        Assert.Equal("metadata.name", container.Env.Single(e => e.Name == "Trainer__Name").ValueFrom.FieldRef.FieldPath);
    }

    [KubectlFact]
    public void Images_come_from_the_registry_by_tag_with_the_cuda_trainer()
    {
        var images = Manifests.Workloads(Objects).SelectMany(w => w.Template.Spec.Containers).ToDictionary(c => c.Name, c => c.Image);

        Assert.Equal("registry.example.com/cloudassembly/trainer:0.1.0-cuda", images["trainer"]);
        Assert.Equal("registry.example.com/cloudassembly/assembler:0.1.0", images["assembler"]);
        Assert.Equal("registry.example.com/cloudassembly/data-prep:0.1.0", images["data-prep"]);
    }

    [KubectlFact]
    public void Drains_take_trainers_one_at_a_time()
    {
        var budget = Objects.OfType<V1PodDisruptionBudget>().Single();

        Assert.Equal("1", budget.Spec.MaxUnavailable.Value);
        Assert.Equal("trainer", budget.Spec.Selector.MatchLabels["app.kubernetes.io/name"]);
    }

    [KubectlFact]
    public void Secrets_are_left_to_the_cluster_operator()
    {
        var referenced = Manifests.Workloads(Objects).SelectMany(w => w.Template.Spec.Containers).SelectMany(c => c.Env ?? [])
            .Select(e => e.ValueFrom?.SecretKeyRef?.Name).OfType<string>().Distinct().Order();

        Assert.Empty(Objects.OfType<V1Secret>());
        Assert.Equal(["blob-storage", "rabbitmq"], referenced);
    }
}
