using k8s;
using k8s.Models;

namespace CloudAssembly.Deploy.Tests;

/// <summary>Checks on the files as written, which need no kubectl.</summary>
public sealed class ManifestFileTests
{
    private static readonly string[] ServiceFiles = ["base/assembler.yaml", "base/data-prep.yaml", "base/trainer.yaml"];

    public static TheoryData<string> ObjectFiles() => [.. Manifests.ObjectFiles().Select(f => Path.GetRelativePath(Repository.K8s, f))];

    [Theory]
    [MemberData(nameof(ObjectFiles))]
    public void Every_manifest_file_loads_strictly_as_kubernetes_objects(string file)
    {
        var objects = Manifests.Load(File.ReadAllText(Path.Combine(Repository.K8s, file)));

        Assert.NotEmpty(objects);
        Assert.All(objects, o => Assert.IsAssignableFrom<IKubernetesObject<V1ObjectMeta>>(o));
    }

    [Fact]
    public void Strict_loading_rejects_a_misspelled_field()
    {
        const string Misspelled = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndatta:\n  a: b\n";

        Assert.ThrowsAny<Exception>(() => Manifests.Load(Misspelled));
    }

    [Fact]
    public void The_base_trainer_asks_for_one_gpu_on_the_tainted_gpu_pool_and_trains_on_cuda()
    {
        var trainer = Manifests.Deployment(Load("base/trainer.yaml"), "trainer");
        var pod = trainer.Spec.Template.Spec;
        var container = Manifests.Container(trainer);

        Assert.Equal("1", Manifests.Quantity(container.Resources.Limits, "nvidia.com/gpu"));
        Assert.Contains(pod.Tolerations, t => t.Key == "nvidia.com/gpu" && t.Effect == "NoSchedule" && t.OperatorProperty == "Exists");
        Assert.Contains(pod.Tolerations, t => t is { Key: "sku", Value: "gpu", Effect: "NoSchedule" });
        Assert.Contains("kubernetes.azure.com/agentpool", pod.NodeSelector.Keys);
        Assert.Equal("cuda", Manifests.Env(container, "Trainer__Device"));
    }

    [Fact]
    public void RabbitMQ_keeps_its_cookie_private_after_a_reschedule()
    {
        var pod = Load("base/rabbitmq.yaml").OfType<V1StatefulSet>().Single().Spec.Template.Spec;

        Assert.Equal(999, pod.SecurityContext.FsGroup);
        Assert.Equal("OnRootMismatch", pod.SecurityContext.FsGroupChangePolicy);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Every_service_deployment_probes_alive_and_health_and_requests_resources(string file)
    {
        var deployment = Load(file).OfType<V1Deployment>().Single();
        var container = Manifests.Container(deployment);

        Assert.Equal("/alive", container.LivenessProbe.HttpGet.Path);
        Assert.Equal("/health", container.ReadinessProbe.HttpGet.Path);
        Assert.NotNull(Manifests.Quantity(container.Resources.Requests, "cpu"));
        Assert.NotNull(Manifests.Quantity(container.Resources.Requests, "memory"));
    }

    public static TheoryData<string> Services() => [.. ServiceFiles];

    [Fact]
    public void The_broker_config_raises_consumer_timeout_to_the_apphosts_value()
    {
        var k8s = Manifests.ConsumerTimeout(File.ReadAllText(Path.Combine(Repository.K8s, "base/rabbitmq/90-cloudassembly.conf")));
        var appHost = Manifests.ConsumerTimeout(File.ReadAllText(Path.Combine(Repository.Root, "AppHost/rabbitmq/cloudassembly.conf")));

        Assert.True(k8s > 1_800_000, $"consumer_timeout {k8s} ms does not raise RabbitMQ's default of 30 minutes.");
        Assert.Equal(appHost, k8s);
    }

    private static IReadOnlyList<object> Load(string file) => Manifests.Load(File.ReadAllText(Path.Combine(Repository.K8s, file)));
}
