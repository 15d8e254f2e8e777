using k8s;
using k8s.Models;

namespace CloudAssembly.Deploy.Tests;

/// <summary>What every overlay, rendered as it would be applied, must hold.</summary>
public sealed class RenderedOverlayTests
{
    private static readonly string[] Services = ["assembler", "data-prep", "trainer"];

    private static readonly HashSet<string> ClusterWideKinds = ["Namespace", "PriorityClass", "ResourceFlavor", "ClusterQueue"];

    [KubectlTheory]
    [InlineData(RenderedOverlays.LocalCpu)]
    [InlineData(RenderedOverlays.Gpu)]
    public void Every_object_is_in_the_cloudassembly_namespace_and_labelled_as_part_of_it(string overlay)
    {
        var objects = RenderedOverlays.Objects(overlay).Cast<IKubernetesObject<V1ObjectMeta>>().ToList();

        Assert.Contains(objects, o => o is V1Namespace { Metadata.Name: "cloudassembly" });
        Assert.All(objects.Where(o => !ClusterWideKinds.Contains(o.Kind)), o => Assert.Equal("cloudassembly", o.Metadata.NamespaceProperty));
        Assert.All(objects, o => Assert.Equal("cloudassembly", o.Metadata.Labels["app.kubernetes.io/part-of"]));
    }

    [KubectlTheory]
    [InlineData(RenderedOverlays.LocalCpu)]
    [InlineData(RenderedOverlays.Gpu)]
    public void Every_long_lived_service_probes_alive_and_health_and_every_service_gets_its_storage_and_collector(string overlay)
    {
        var objects = RenderedOverlays.Objects(overlay);
        foreach (var name in Services)
        {
            var container = Manifests.ServicePod(objects, name).Spec.Containers.Single();
            if (objects.OfType<V1Deployment>().Any(d => d.Metadata.Name == name))
            {
                Assert.Equal(("/alive", "http"), (container.LivenessProbe.HttpGet.Path, container.LivenessProbe.HttpGet.Port.Value));
                Assert.Equal(("/health", "http"), (container.ReadinessProbe.HttpGet.Path, container.ReadinessProbe.HttpGet.Port.Value));
            }
            Assert.Contains(container.Ports, p => p.Name == "http" && p.ContainerPort == 8080);

            var config = objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == container.EnvFrom.Single().ConfigMapRef.Name);
            Assert.StartsWith("http", config.Data["OTEL_EXPORTER_OTLP_ENDPOINT"]);
            Assert.Equal("cloudassembly", config.Data["Storage__Container"]);
            Assert.True(config.Data.ContainsKey("ConnectionStrings__blobs") || container.Env.Any(e => e.Name == "ConnectionStrings__blobs"), $"{name} has no blob store.");
        }
    }

    [KubectlTheory]
    [InlineData(RenderedOverlays.LocalCpu)]
    [InlineData(RenderedOverlays.Gpu)]
    public void Every_image_is_pinned_to_a_tag_or_digest(string overlay)
    {
        var images = Manifests.Pods(RenderedOverlays.Objects(overlay)).SelectMany(p => Manifests.AllContainers(p.Template.Spec)).Select(c => c.Image);

        Assert.All(images, image => Assert.True(Manifests.IsPinned(image), $"{image} is not pinned to a tag or digest."));
    }

    [KubectlTheory]
    [InlineData(RenderedOverlays.LocalCpu)]
    [InlineData(RenderedOverlays.Gpu)]
    public void Every_service_selects_pods_that_expose_its_target_ports(string overlay)
    {
        var objects = RenderedOverlays.Objects(overlay);
        var pods = Manifests.Workloads(objects).Select(w => w.Template).ToList();
        foreach (var service in objects.OfType<V1Service>())
        {
            var selected = pods.Where(p => service.Spec.Selector.All(s => p.Metadata.Labels.TryGetValue(s.Key, out var v) && v == s.Value)).ToList();
            Assert.True(selected.Count == 1, $"Service {service.Metadata.Name} selects {selected.Count} workloads.");
            var ports = selected[0].Spec.Containers.SelectMany(c => c.Ports ?? []).Select(p => p.Name).ToHashSet();
            Assert.All(service.Spec.Ports, p => Assert.Contains(p.TargetPort.Value, ports));
        }
    }

    [KubectlTheory]
    [InlineData(RenderedOverlays.LocalCpu)]
    [InlineData(RenderedOverlays.Gpu)]
    public void The_broker_runs_a_supported_release_with_consumer_timeout_raised_and_definitions_loaded_at_boot(string overlay)
    {
        var objects = RenderedOverlays.Objects(overlay);
        var rabbitmq = objects.OfType<V1StatefulSet>().Single(s => s.Metadata.Name == "rabbitmq");
        var container = rabbitmq.Spec.Template.Spec.Containers.Single();
        var mount = container.VolumeMounts.Single(m => m.MountPath.StartsWith("/etc/rabbitmq/conf.d/", StringComparison.Ordinal));
        var volume = rabbitmq.Spec.Template.Spec.Volumes.Single(v => v.Name == mount.Name);
        var config = objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == volume.ConfigMap.Name);

        var definitions = container.VolumeMounts.Single(m => m.Name == "definitions").MountPath;

        var appHostTag = System.Text.RegularExpressions.Regex.Match(
            File.ReadAllText(Path.Combine(Repository.Root, "AppHost", "MessageBroker.cs")), @"ImageTag = ""([^""]+)""").Groups[1].Value;

        Assert.Equal("rabbitmq:4.2.9-management", container.Image);
        Assert.Equal($"rabbitmq:{appHostTag}", container.Image);
        Assert.Equal(container.Image, rabbitmq.Spec.Template.Spec.InitContainers.Single().Image);
        Assert.True(Manifests.ConsumerTimeout(config.Data[mount.SubPath]) > 1_800_000);
        Assert.Contains($"load_definitions = {definitions}/definitions.json", config.Data[mount.SubPath]);
        Assert.Contains("definitions.json", config.Data.Keys);
    }

    [KubectlTheory]
    [InlineData(RenderedOverlays.LocalCpu)]
    [InlineData(RenderedOverlays.Gpu)]
    public void Only_trainers_run_on_gpu_nodes(string overlay)
    {
        var others = Manifests.Pods(RenderedOverlays.Objects(overlay)).Where(p => p.Template.Metadata.Labels["app.kubernetes.io/name"] != "trainer").ToList();

        Assert.All(others, w =>
        {
            Assert.All(w.Template.Spec.Containers, c => Assert.Null(Manifests.Quantity(c.Resources?.Limits, "nvidia.com/gpu")));
            Assert.DoesNotContain(w.Template.Spec.Tolerations ?? [], t => t.Key == "nvidia.com/gpu");
        });
    }
}
