using CloudAssembly.Deploy.Tests.Kueue;
using k8s.Models;

namespace CloudAssembly.Deploy.Tests;

/// <summary>The gpu overlay's phase Jobs wait in Kueue's queue and are admitted whole onto the GPU pool.</summary>
public sealed class KueueAdmissionTests
{
    private static IReadOnlyList<object> Objects => RenderedOverlays.Objects(RenderedOverlays.Gpu);

    [KubectlFact]
    public void The_jobs_queue_leads_to_a_gpu_quota_on_the_flavor_of_the_pool_the_template_selects()
    {
        var template = Manifests.JobTemplate(Objects).Spec;
        var queueName = Manifests.Env(Manifests.Container(Manifests.Deployment(Objects, "assembler")), "Assembler__Jobs__Queue");
        var localQueue = Objects.OfType<LocalQueue>().Single(q => q.Metadata.Name == queueName);
        var clusterQueue = Objects.OfType<ClusterQueue>().Single(q => q.Metadata.Name == localQueue.Spec.ClusterQueue);
        var quotas = clusterQueue.Spec.ResourceGroups.Single().Flavors.Single();
        var flavor = Objects.OfType<ResourceFlavor>().Single(f => f.Metadata.Name == quotas.Name);

        Assert.Equal("cloudassembly", localQueue.Metadata.NamespaceProperty);
        Assert.Equal(template.NodeSelector, flavor.Spec.NodeLabels);
        Assert.Equal(["kubernetes.azure.com/agentpool"], flavor.Spec.NodeLabels.Keys);
        foreach (var toleration in template.Tolerations)
            Assert.Contains(flavor.Spec.Tolerations, t => (t.Key, t.OperatorProperty, t.Value, t.Effect) == (toleration.Key, toleration.OperatorProperty, toleration.Value, toleration.Effect));
        Assert.True(NetworkFlows.Selects(clusterQueue.Spec.NamespaceSelector, new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "cloudassembly" }));
    }

    [KubectlFact]
    public void The_quota_covers_every_resource_a_trainer_pod_requests_and_a_two_node_phase_fits()
    {
        var requests = Manifests.JobTemplate(Objects).Spec.Containers.Single().Resources.Requests;
        var group = Objects.OfType<ClusterQueue>().Single().Spec.ResourceGroups.Single();
        var quota = group.Flavors.Single().Resources.ToDictionary(r => r.Name, r => r.NominalQuota.ToDecimal());

        Assert.Contains("nvidia.com/gpu", group.CoveredResources);
        Assert.Equal(group.CoveredResources.Order(), requests.Keys.Order());
        Assert.All(requests, r => Assert.True(quota[r.Key] >= 2 * r.Value.ToDecimal(), $"{r.Key}: quota {quota[r.Key]} < 2 pods x {r.Value}."));
    }

    [KubectlFact]
    public void Cluster_wide_kueue_objects_carry_no_namespace()
    {
        Assert.All(Objects.OfType<ResourceFlavor>(), f => Assert.Null(f.Metadata.NamespaceProperty));
        Assert.All(Objects.OfType<ClusterQueue>(), q => Assert.Null(q.Metadata.NamespaceProperty));
        Assert.NotEmpty(Objects.OfType<ResourceFlavor>());
        Assert.NotEmpty(Objects.OfType<ClusterQueue>());
    }

    [KubectlFact]
    public void The_local_overlay_keeps_the_queue_launcher_and_needs_no_kueue()
    {
        var objects = RenderedOverlays.Objects(RenderedOverlays.LocalCpu);
        var assembler = Manifests.Deployment(objects, "assembler");

        Assert.Null(Manifests.Env(Manifests.Container(assembler), "Assembler__Launcher"));
        Assert.False(assembler.Spec.Template.Spec.AutomountServiceAccountToken);
        Assert.Empty(Manifests.JobTemplates(objects));
        Assert.DoesNotContain(objects, o => o is LocalQueue or ClusterQueue or ResourceFlavor or V1Role or V1RoleBinding);
        Assert.Single(objects.OfType<V1Deployment>(), d => d.Metadata.Name == "trainer");
    }
}
