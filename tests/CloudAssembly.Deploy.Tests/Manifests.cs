using CloudAssembly.Deploy.Tests.Keda;
using k8s;
using k8s.Models;

namespace CloudAssembly.Deploy.Tests;

/// <summary>Kubernetes objects read with KubernetesClient's strict loader (unknown fields are errors), and what the checks ask of them.</summary>
public static class Manifests
{
    private static readonly Dictionary<string, Type> KedaTypes = new()
    {
        ["keda.sh/v1alpha1/ScaledObject"] = typeof(ScaledObject),
        ["keda.sh/v1alpha1/TriggerAuthentication"] = typeof(TriggerAuthentication),
    };

    public static IReadOnlyList<object> Load(string yaml) => KubernetesYaml.LoadAllFromString(yaml, KedaTypes, strict: true);

    /// <summary>Every YAML file that holds whole objects: not kustomization.yaml, not the overlays' partial patches.</summary>
    public static IEnumerable<string> ObjectFiles() =>
        Directory.EnumerateFiles(Repository.K8s, "*.yaml", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Contains("patches"))
            .Order();

    public static IEnumerable<(V1ObjectMeta Owner, V1PodTemplateSpec Template)> Workloads(IEnumerable<object> objects) =>
        objects.OfType<V1Deployment>().Select(d => (d.Metadata, d.Spec.Template))
            .Concat(objects.OfType<V1StatefulSet>().Select(s => (s.Metadata, s.Spec.Template)));

    /// <summary>Init and regular containers: Pod Security applies to both (a template holds no ephemeral containers).</summary>
    public static IEnumerable<V1Container> AllContainers(V1PodSpec pod) =>
        (pod.InitContainers ?? []).Concat(pod.Containers);

    public static V1Deployment Deployment(IEnumerable<object> objects, string name) =>
        objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == name);

    public static V1Container Container(V1Deployment deployment) => deployment.Spec.Template.Spec.Containers.Single();

    public static string? Env(V1Container container, string name) => container.Env?.SingleOrDefault(e => e.Name == name)?.Value;

    /// <summary>A quantity such as "1" or "48Gi" as written, or null when the key is absent.</summary>
    public static string? Quantity(IDictionary<string, ResourceQuantity>? quantities, string key) =>
        quantities is not null && quantities.TryGetValue(key, out var value) ? value.ToString() : null;

    /// <summary>Pinned: a digest, or a tag other than latest.</summary>
    public static bool IsPinned(string image)
    {
        if (image.Contains("@sha256:", StringComparison.Ordinal))
            return true;
        var lastSegment = image[(image.LastIndexOf('/') + 1)..];
        var colon = lastSegment.LastIndexOf(':');
        return colon > 0 && lastSegment[(colon + 1)..] is { Length: > 0 } tag && tag != "latest";
    }

    /// <summary>The millisecond value of <c>consumer_timeout</c> in a rabbitmq.conf text.</summary>
    public static long ConsumerTimeout(string rabbitmqConf) =>
        rabbitmqConf.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("consumer_timeout", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split('=')[1].Trim())).Single();
}
