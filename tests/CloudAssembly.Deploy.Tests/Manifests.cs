using CloudAssembly.Deploy.Tests.Keda;
using CloudAssembly.Deploy.Tests.Kueue;
using k8s;
using k8s.Models;

namespace CloudAssembly.Deploy.Tests;

/// <summary>Kubernetes objects read with KubernetesClient's strict loader (unknown fields are errors), and what the checks ask of them.</summary>
public static class Manifests
{
    private static readonly Dictionary<string, Type> CustomTypes = new()
    {
        ["keda.sh/v1alpha1/ScaledObject"] = typeof(ScaledObject),
        ["keda.sh/v1alpha1/TriggerAuthentication"] = typeof(TriggerAuthentication),
        ["kueue.x-k8s.io/v1beta2/ResourceFlavor"] = typeof(ResourceFlavor),
        ["kueue.x-k8s.io/v1beta2/ClusterQueue"] = typeof(ClusterQueue),
        ["kueue.x-k8s.io/v1beta2/LocalQueue"] = typeof(LocalQueue),
    };

    /// <summary>The ConfigMap key that holds the trainer Job's pod template, as the Assembler reads it.</summary>
    public const string PodTemplateKey = "pod-template.yaml";

    public static IReadOnlyList<object> Load(string yaml) => KubernetesYaml.LoadAllFromString(yaml, CustomTypes, strict: true);

    /// <summary>A pod template as text (the Job template's file), read strictly.</summary>
    public static V1PodTemplateSpec LoadPodTemplate(string yaml) => KubernetesYaml.Deserialize<V1PodTemplateSpec>(yaml, strict: true);

    /// <summary>
    /// Every YAML file that holds whole objects: not kustomization.yaml, not the overlays' partial patches, not the
    /// Job's pod template (a PodTemplateSpec, no object).
    /// </summary>
    public static IEnumerable<string> ObjectFiles() =>
        Directory.EnumerateFiles(Repository.K8s, "*.yaml", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) is not ("kustomization.yaml" or PodTemplateKey))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Contains("patches"))
            .Order();

    public static IEnumerable<(V1ObjectMeta Owner, V1PodTemplateSpec Template)> Workloads(IEnumerable<object> objects) =>
        objects.OfType<V1Deployment>().Select(d => (d.Metadata, d.Spec.Template))
            .Concat(objects.OfType<V1StatefulSet>().Select(s => (s.Metadata, s.Spec.Template)));

    /// <summary>The trainer Job templates kept as text in ConfigMaps, each named by its ConfigMap.</summary>
    public static IEnumerable<(V1ObjectMeta Owner, V1PodTemplateSpec Template)> JobTemplates(IEnumerable<object> objects) =>
        objects.OfType<V1ConfigMap>().Where(c => c.Data?.ContainsKey(PodTemplateKey) == true)
            .Select(c => (c.Metadata, LoadPodTemplate(c.Data[PodTemplateKey])));

    /// <summary>The one trainer Job template an overlay renders.</summary>
    public static V1PodTemplateSpec JobTemplate(IEnumerable<object> objects) => JobTemplates(objects).Single().Template;

    /// <summary>Every pod an overlay can start: its workloads' and its Job templates'.</summary>
    public static IEnumerable<(V1ObjectMeta Owner, V1PodTemplateSpec Template)> Pods(IEnumerable<object> objects) =>
        Workloads(objects).Concat(JobTemplates(objects));

    /// <summary>Init and regular containers: Pod Security applies to both (a template holds no ephemeral containers).</summary>
    public static IEnumerable<V1Container> AllContainers(V1PodSpec pod) =>
        (pod.InitContainers ?? []).Concat(pod.Containers);

    public static V1Deployment Deployment(IEnumerable<object> objects, string name) =>
        objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == name);

    public static V1Container Container(V1Deployment deployment) => deployment.Spec.Template.Spec.Containers.Single();

    /// <summary>The pod of a service, a long-lived workload's or a Job template's, by its one container's name.</summary>
    public static V1PodTemplateSpec ServicePod(IEnumerable<object> objects, string name) =>
        Pods(objects).Select(p => p.Template).Single(t => t.Spec.Containers.Count == 1 && t.Spec.Containers[0].Name == name);

    public static string? Env(V1Container container, string name) => container.Env?.SingleOrDefault(e => e.Name == name)?.Value;

    /// <summary>The service accounts that some RoleBinding grants a Role: the only ones that may hold an API token.</summary>
    public static IReadOnlySet<string> BoundServiceAccounts(IEnumerable<object> objects) =>
        objects.OfType<V1RoleBinding>().SelectMany(b => b.Subjects).Where(s => s.Kind == "ServiceAccount").Select(s => s.Name).ToHashSet();

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
