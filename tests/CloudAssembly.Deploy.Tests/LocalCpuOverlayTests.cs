using System.Text;
using k8s.Models;

namespace CloudAssembly.Deploy.Tests;

public sealed class LocalCpuOverlayTests
{
    private static IReadOnlyList<object> Objects => RenderedOverlays.Objects(RenderedOverlays.LocalCpu);

    [KubectlFact]
    public void Trainers_train_on_the_cpu_without_any_gpu_or_gpu_pool()
    {
        var trainer = Manifests.Deployment(Objects, "trainer");
        var pod = trainer.Spec.Template.Spec;
        var container = Manifests.Container(trainer);

        Assert.Equal("cpu", Manifests.Env(container, "Trainer__Device"));
        Assert.Null(Manifests.Quantity(container.Resources.Limits, "nvidia.com/gpu"));
        Assert.Null(Manifests.Quantity(container.Resources.Requests, "nvidia.com/gpu"));
        Assert.Null(pod.NodeSelector);
        Assert.Null(pod.Tolerations);
        Assert.Equal("cloudassembly/trainer:dev-cpu", container.Image);
    }

    [KubectlFact]
    public void Services_store_blobs_in_the_azurite_it_deploys()
    {
        var secrets = Objects.OfType<V1Secret>().ToList();
        foreach (var deployment in new[] { "assembler", "data-prep", "trainer" })
        {
            var container = Manifests.Container(Manifests.Deployment(Objects, deployment));
            var blobs = container.Env.Single(e => e.Name == "ConnectionStrings__blobs").ValueFrom.SecretKeyRef;
            var connection = Encoding.UTF8.GetString(secrets.Single(s => s.Metadata.Name == blobs.Name).Data[blobs.Key]);
            Assert.Contains("BlobEndpoint=http://azurite:10000/devstoreaccount1;", connection);
            foreach (var secret in container.Env.Select(e => e.ValueFrom?.SecretKeyRef).OfType<V1SecretKeySelector>())
                Assert.Contains(secret.Key, secrets.Single(s => s.Metadata.Name == secret.Name).Data.Keys);
        }

        var azurite = Manifests.Deployment(Objects, "azurite");
        Assert.Contains("--skipApiVersionCheck", Manifests.Container(azurite).Args);
        Assert.Contains(Objects.OfType<V1Service>(), s => s.Metadata.Name == "azurite" && s.Spec.Ports.Any(p => p.Port == 10000));
    }

    [KubectlFact]
    public void Keda_reads_the_queue_with_the_password_the_broker_loads_for_its_user()
    {
        var users = Objects.OfType<V1Secret>().Single(s => s.Metadata.Name == "rabbitmq-users").Data;
        var url = new Uri(Encoding.UTF8.GetString(users["keda-url"]));

        Assert.Equal($"keda:{Encoding.UTF8.GetString(users["keda"])}", url.UserInfo);
        Assert.Equal(("rabbitmq.cloudassembly.svc.cluster.local", 15672), (url.Host, url.Port));
    }

    [KubectlFact]
    public void Telemetry_goes_to_the_aspire_dashboard_it_deploys()
    {
        var config = Objects.OfType<V1ConfigMap>().Single(c => c.Data.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"));

        Assert.Equal("http://aspire-dashboard:18889", config.Data["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Contains(Objects.OfType<V1Service>(), s => s.Metadata.Name == "aspire-dashboard" && s.Spec.Ports.Any(p => p.Port == 18889));
    }
}
