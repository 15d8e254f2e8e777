using System.Text.RegularExpressions;
using CloudAssembly.Deploy.Tests.Keda;
using k8s.Models;

namespace CloudAssembly.Deploy.Tests;

public sealed class GpuOverlayTests
{
    private static readonly string[] Services = ["assembler", "data-prep", "trainer"];

    private static IReadOnlyList<object> Objects => RenderedOverlays.Objects(RenderedOverlays.Gpu);

    [KubectlFact]
    public void No_long_lived_workload_holds_a_gpu_and_nothing_scales_trainers()
    {
        var longLived = Manifests.Workloads(Objects).SelectMany(w => w.Template.Spec.Containers).ToList();

        Assert.All(longLived, c =>
        {
            Assert.Null(Manifests.Quantity(c.Resources?.Requests, "nvidia.com/gpu"));
            Assert.Null(Manifests.Quantity(c.Resources?.Limits, "nvidia.com/gpu"));
        });
        Assert.DoesNotContain(Objects, o => o is V1Deployment { Metadata.Name: "trainer" });
        Assert.Empty(Objects.OfType<ScaledObject>());
        Assert.Empty(Objects.OfType<V1PodDisruptionBudget>());
    }

    [KubectlFact]
    public void No_pod_selects_nodes_by_gpu_feature_discovery_labels()
    {
        var selectors = Manifests.Pods(Objects).SelectMany(p => p.Template.Spec.NodeSelector?.Keys ?? []).ToList();

        Assert.NotEmpty(selectors);
        Assert.DoesNotContain(selectors, key => key.StartsWith("nvidia.com/", StringComparison.Ordinal));
        Assert.DoesNotContain("nvidia.com/gpu.present", Kustomize.Render(RenderedOverlays.Gpu));
    }

    [KubectlFact]
    public void Images_come_from_the_registry_by_tag_with_the_cuda_trainer_in_the_job_template()
    {
        var images = Manifests.Pods(Objects).SelectMany(p => p.Template.Spec.Containers).ToDictionary(c => c.Name, c => c.Image);
        var overlay = File.ReadAllText(Path.Combine(Repository.K8s, RenderedOverlays.Gpu, "kustomization.yaml"));

        Assert.Equal(OverlayImage(overlay, "cloudassembly/trainer"), images["trainer"]);
        Assert.EndsWith("-cuda", images["trainer"]);
        Assert.Equal(OverlayImage(overlay, "cloudassembly/assembler"), images["assembler"]);
        Assert.Equal(OverlayImage(overlay, "cloudassembly/data-prep"), images["data-prep"]);
    }

    /// <summary>newName:newTag of an images: entry in a kustomization.yaml.</summary>
    private static string OverlayImage(string kustomization, string name)
    {
        var entry = Regex.Match(kustomization, $@"- name: {Regex.Escape(name)}\s+newName: (\S+)\s+newTag: (\S+)");
        Assert.True(entry.Success, $"No images: entry for {name}.");
        return $"{entry.Groups[1].Value}:{entry.Groups[2].Value}";
    }

    [KubectlFact]
    public void Services_and_job_pods_reach_blob_storage_by_account_url_through_workload_identity()
    {
        var pods = Manifests.Pods(Objects).ToDictionary(p => p.Template.Spec.Containers.Single().Name, p => p.Template);
        foreach (var name in Services)
        {
            var pod = pods[name];
            var account = Objects.OfType<V1ServiceAccount>().Single(a => a.Metadata.Name == pod.Spec.ServiceAccountName);
            var container = pod.Spec.Containers.Single();
            var config = Objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == container.EnvFrom.Single().ConfigMapRef.Name);

            Assert.Equal("true", pod.Metadata.Labels["azure.workload.identity/use"]);
            Assert.Equal(name, account.Metadata.Name);
            Assert.False(string.IsNullOrEmpty(account.Metadata.Annotations["azure.workload.identity/client-id"]));
            Assert.DoesNotContain(container.Env, e => e.Name == "ConnectionStrings__blobs");
            Assert.Matches(@"^https://[^/]+\.blob\.core\.windows\.net$", config.Data["ConnectionStrings__blobs"]);
        }
        Assert.Equal(Services.Length, Objects.OfType<V1ServiceAccount>()
            .Where(a => Services.Contains(a.Metadata.Name)).Select(a => a.Metadata.Annotations["azure.workload.identity/client-id"]).Distinct().Count());
    }

    [KubectlFact]
    public void Broker_passwords_come_from_the_secret_the_operator_creates()
    {
        var referenced = Manifests.Pods(Objects).SelectMany(p => Manifests.AllContainers(p.Template.Spec)).SelectMany(c => c.Env ?? [])
            .Select(e => e.ValueFrom?.SecretKeyRef?.Name).OfType<string>().Distinct();

        Assert.Equal(["rabbitmq-users"], referenced);
    }

    [KubectlFact]
    public void Telemetry_goes_to_the_collector_in_the_namespace_the_network_policy_allows()
    {
        var endpoint = new Uri(Objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == "cloudassembly").Data["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var policy = Objects.OfType<V1NetworkPolicy>().Single(p => p.Metadata.Name == "services-to-collector");
        var peer = policy.Spec.Egress.Single().To.Single();

        Assert.Equal(endpoint.Host.Split('.')[1], peer.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
        Assert.Equal(endpoint.Host.Split('.')[0], peer.PodSelector.MatchLabels["app.kubernetes.io/name"]);
        Assert.Equal(endpoint.Port.ToString(), policy.Spec.Egress.Single().Ports.Single().Port.Value);
    }

    [KubectlFact]
    public void RabbitMQ_keeps_its_cookie_private_after_a_reschedule()
    {
        var pod = Objects.OfType<V1StatefulSet>().Single(s => s.Metadata.Name == "rabbitmq").Spec.Template.Spec;

        Assert.Equal("OnRootMismatch", pod.SecurityContext.FsGroupChangePolicy);
    }
}
