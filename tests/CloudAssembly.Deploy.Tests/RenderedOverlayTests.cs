using k8s;
using k8s.Models;

namespace CloudAssembly.Deploy.Tests;

/// <summary>What every overlay, rendered as it would be applied, must hold.</summary>
public sealed class RenderedOverlayTests
{
    private static readonly string[] ServiceDeployments = ["assembler", "data-prep", "trainer"];

    [KubectlTheory]
    [InlineData(RenderedOverlays.LocalCpu)]
    [InlineData(RenderedOverlays.Gpu)]
    public void Every_object_is_in_the_cloudassembly_namespace_and_labelled_as_part_of_it(string overlay)
    {
        var objects = RenderedOverlays.Objects(overlay).Cast<IKubernetesObject<V1ObjectMeta>>().ToList();

        Assert.Contains(objects, o => o is V1Namespace { Metadata.Name: "cloudassembly" });
        Assert.All(objects.Where(o => o is not V1Namespace), o => Assert.Equal("cloudassembly", o.Metadata.NamespaceProperty));
        Assert.All(objects, o => Assert.Equal("cloudassembly", o.Metadata.Labels["app.kubernetes.io/part-of"]));
    }

    [KubectlTheory]
    [InlineData(RenderedOverlays.LocalCpu)]
    [InlineData(RenderedOverlays.Gpu)]
    public void Every_workload_container_requests_cpu_and_memory_and_is_probed(string overlay)
    {
        var containers = Manifests.Workloads(RenderedOverlays.Objects(overlay)).SelectMany(w => w.Template.Spec.Containers).ToList();

        Assert.NotEmpty(containers);
        Assert.All(containers, c =>
        {
            Assert.NotNull(Manifests.Quantity(c.Resources?.Requests, "cpu"));
            Assert.NotNull(Manifests.Quantity(c.Resources?.Requests, "memory"));
            Assert.NotNull(c.LivenessProbe);
            Assert.NotNull(c.ReadinessProbe);
        });
    }

    [KubectlTheory]
    [InlineData(RenderedOverlays.LocalCpu)]
    [InlineData(RenderedOverlays.Gpu)]
    public void Every_service_probes_alive_and_health_and_gets_its_broker_storage_and_collector(string overlay)
    {
        var objects = RenderedOverlays.Objects(overlay);
        foreach (var name in ServiceDeployments)
        {
            var container = Manifests.Container(Manifests.Deployment(objects, name));
            Assert.Equal(("/alive", "http"), (container.LivenessProbe.HttpGet.Path, container.LivenessProbe.HttpGet.Port.Value));
            Assert.Equal(("/health", "http"), (container.ReadinessProbe.HttpGet.Path, container.ReadinessProbe.HttpGet.Port.Value));
            Assert.Contains(container.Ports, p => p.Name == "http" && p.ContainerPort == 8080);

            var env = container.Env.Select(e => e.Name).ToList();
            // $(VAR) in a value expands only variables defined before it.
            Assert.True(env.IndexOf("RABBITMQ_USERNAME") < env.IndexOf("ConnectionStrings__rabbit")
                && env.IndexOf("RABBITMQ_PASSWORD") < env.IndexOf("ConnectionStrings__rabbit"), $"{name}: the broker credentials come after the URI.");
            Assert.Equal("amqp://$(RABBITMQ_USERNAME):$(RABBITMQ_PASSWORD)@rabbitmq:5672/", Manifests.Env(container, "ConnectionStrings__rabbit"));
            Assert.Equal("connection-string", container.Env.Single(e => e.Name == "ConnectionStrings__blobs").ValueFrom.SecretKeyRef.Key);

            var config = objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == container.EnvFrom.Single().ConfigMapRef.Name);
            Assert.StartsWith("http", config.Data["OTEL_EXPORTER_OTLP_ENDPOINT"]);
            Assert.Equal("cloudassembly", config.Data["Storage__Container"]);
        }
    }

    [KubectlTheory]
    [InlineData(RenderedOverlays.LocalCpu)]
    [InlineData(RenderedOverlays.Gpu)]
    public void Every_image_is_pinned_to_a_tag_or_digest(string overlay)
    {
        var images = Manifests.Workloads(RenderedOverlays.Objects(overlay)).SelectMany(w => w.Template.Spec.Containers).Select(c => c.Image);

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
    public void The_broker_runs_with_consumer_timeout_raised(string overlay)
    {
        var objects = RenderedOverlays.Objects(overlay);
        var rabbitmq = objects.OfType<V1StatefulSet>().Single(s => s.Metadata.Name == "rabbitmq");
        var container = rabbitmq.Spec.Template.Spec.Containers.Single();
        var mount = container.VolumeMounts.Single(m => m.MountPath.StartsWith("/etc/rabbitmq/conf.d/", StringComparison.Ordinal));
        var volume = rabbitmq.Spec.Template.Spec.Volumes.Single(v => v.Name == mount.Name);
        var config = objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == volume.ConfigMap.Name);

        Assert.Equal("rabbitmq:3.13-management", container.Image);
        Assert.True(Manifests.ConsumerTimeout(config.Data[mount.SubPath]) > 1_800_000);
    }

    [KubectlTheory]
    [InlineData(RenderedOverlays.LocalCpu)]
    [InlineData(RenderedOverlays.Gpu)]
    public void Only_trainers_run_on_gpu_nodes(string overlay)
    {
        var others = Manifests.Workloads(RenderedOverlays.Objects(overlay)).Where(w => w.Owner.Name != "trainer").ToList();

        Assert.All(others, w =>
        {
            Assert.All(w.Template.Spec.Containers, c => Assert.Null(Manifests.Quantity(c.Resources?.Limits, "nvidia.com/gpu")));
            Assert.DoesNotContain(w.Template.Spec.Tolerations ?? [], t => t.Key == "nvidia.com/gpu");
        });
    }
}
