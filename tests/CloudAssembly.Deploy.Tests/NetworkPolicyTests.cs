using k8s.Models;

namespace CloudAssembly.Deploy.Tests;

/// <summary>Every flow the services need is allowed by some NetworkPolicy, and nothing else is.</summary>
public sealed class NetworkPolicyTests
{
    private const string Namespace = "cloudassembly";
    private const int NcclPort = 40000;
    private static readonly string[] Services = ["assembler", "data-prep", "trainer"];

    private static readonly Endpoint Dns = Endpoint.Pod("kube-dns", "kube-system", Labels(("k8s-app", "kube-dns")));
    private static readonly Endpoint Collector = Endpoint.Pod("otel-collector", "observability", Labels(("app.kubernetes.io/name", "otel-collector")));
    private static readonly Endpoint Keda = Endpoint.Pod("keda-operator", "keda", Labels(("app", "keda-operator")));
    private static readonly Endpoint Storage = Endpoint.External("blob-storage", "20.60.40.4");
    // The Kubernetes API server as pods reach it on AKS: outside the pod network, here at a private address (a private
    // cluster's endpoint), which also stands for every private address no service needs.
    private static readonly Endpoint ApiServer = Endpoint.External("api-server", "10.0.0.1");
    private static readonly Endpoint OtherNamespacePod = Endpoint.Pod("batch-job", "batch", Labels(("app.kubernetes.io/name", "trainer")));

    [KubectlFact]
    public void The_gpu_overlay_allows_exactly_the_flows_the_services_and_job_pods_use_and_the_assembler_reaches_the_api_server()
    {
        var expected = Common(["rabbitmq"]).Concat(Services.SelectMany(s => new[] { new Flow(s, "otel-collector", 4317), new Flow(s, "blob-storage", 443) }))
            .Append(new Flow("assembler", "api-server", 443))
            .Append(new Flow("assembler", "api-server", 6443));

        AssertExactly(RenderedOverlays.Gpu, expected);
    }

    [KubectlFact]
    public void The_local_overlay_allows_exactly_the_flows_the_services_use_with_its_own_azurite_and_dashboard()
    {
        var expected = Common(["rabbitmq", "azurite", "aspire-dashboard"])
            .Concat(Services.SelectMany(s => new[] { new Flow(s, "azurite", 10000), new Flow(s, "aspire-dashboard", 18889) }))
            .Append(new Flow("keda-operator", "rabbitmq", 15672));

        AssertExactly(RenderedOverlays.LocalCpu, expected);
    }

    [KubectlFact]
    public void Without_policies_everything_flows_and_with_default_deny_alone_nothing_does()
    {
        var pods = Pods(RenderedOverlays.Objects(RenderedOverlays.Gpu));
        var deny = RenderedOverlays.Objects(RenderedOverlays.Gpu).OfType<V1NetworkPolicy>().Where(p => p.Metadata.Name == "default-deny").ToList();

        var open = Allowed(new NetworkFlows([], Namespace), pods).ToList();
        var closed = Allowed(new NetworkFlows(deny, Namespace), pods).ToList();

        Assert.Equal(Universe(pods).Count(), open.Count);
        Assert.DoesNotContain(closed, f => pods.Any(p => p.Name == f.From) || pods.Any(p => p.Name == f.To));
    }

    /// <summary>DNS from every pod; AMQP from the services to the broker; NCCL between trainers.</summary>
    private static IEnumerable<Flow> Common(string[] podsWithDns) =>
        Services.Concat(podsWithDns).SelectMany(p => new[] { new Flow(p, "kube-dns", 53, "UDP"), new Flow(p, "kube-dns", 53) })
            .Concat(Services.Select(s => new Flow(s, "rabbitmq", 5672)))
            .Append(new Flow("trainer", "trainer", 8080))
            .Append(new Flow("trainer", "trainer", NcclPort));

    private static void AssertExactly(string overlay, IEnumerable<Flow> expected)
    {
        var objects = RenderedOverlays.Objects(overlay);
        var flows = new NetworkFlows(objects.OfType<V1NetworkPolicy>().ToList(), Namespace);
        var allowed = Allowed(flows, Pods(objects)).ToHashSet();
        var wanted = expected.ToHashSet();

        Assert.True(wanted.IsSubsetOf(allowed), $"Needed but blocked: {string.Join(", ", wanted.Except(allowed))}");
        Assert.True(allowed.IsSubsetOf(wanted), $"Allowed but not needed: {string.Join(", ", allowed.Except(wanted))}");
    }

    private static IEnumerable<Flow> Allowed(NetworkFlows flows, IReadOnlyList<Endpoint> pods) =>
        Universe(pods).Where(f => flows.Allows(f.From, f.To, f.Port, f.Protocol))
            .Select(f => new Flow(f.From.Name, f.To.Name, f.Port, f.Protocol));

    /// <summary>
    /// Every source to every port of every destination, plus a port NCCL might pick on each pod; flows with neither end
    /// in the namespace are other people's business.
    /// </summary>
    private static IEnumerable<(Endpoint From, Endpoint To, int Port, string Protocol)> Universe(IReadOnlyList<Endpoint> pods)
    {
        var sources = pods.Append(Keda).Append(OtherNamespacePod).ToList();
        var destinations = pods.Select(p => (p, p.NamedPorts.Values.Append(NcclPort).Select(port => (port, "TCP"))))
            .Append((Dns, [(53, "UDP"), (53, "TCP")]))
            .Append((Collector, [(4317, "TCP")]))
            .Append((Storage, [(443, "TCP")]))
            .Append((ApiServer, [(443, "TCP"), (6443, "TCP")]));
        return from source in sources
               from destination in destinations
               from port in destination.Item2
               where source.Inside || destination.p.Inside
               select (source, destination.p, port.Item1, port.Item2);
    }

    /// <summary>Every pod of the overlay, long-lived or a trainer Job's.</summary>
    private static List<Endpoint> Pods(IReadOnlyList<object> objects) =>
        Manifests.Pods(objects).Select(w => Endpoint.Pod(w.Template.Metadata.Labels["app.kubernetes.io/name"], Namespace,
            w.Template.Metadata.Labels.AsReadOnly(), inside: true,
            w.Template.Spec.Containers.SelectMany(c => c.Ports ?? []).ToDictionary(p => p.Name, p => p.ContainerPort))).ToList();

    private static Dictionary<string, string> Labels(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);
}
