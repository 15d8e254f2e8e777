using System.Net;
using k8s.Models;

namespace CloudAssembly.Deploy.Tests;

/// <summary>
/// Which flows a set of NetworkPolicies allows, by the API's semantics: a pod that no policy selects for a direction is
/// open in that direction; a selected pod lets through what any rule of any selecting policy matches; a flow needs
/// both the source's egress and the destination's ingress (endpoints outside the namespace are not restricted here).
/// </summary>
public sealed class NetworkFlows(IReadOnlyList<V1NetworkPolicy> policies, string ns)
{
    public bool Allows(Endpoint from, Endpoint to, int port, string protocol) =>
        (!from.Inside || Permits(from, "Egress", p => p.Egress?.Select(r => ((IList<V1NetworkPolicyPeer>?)r.To, (IList<V1NetworkPolicyPort>?)r.Ports)), to, port, protocol)) &&
        (!to.Inside || Permits(to, "Ingress", p => p.Ingress?.Select(r => ((IList<V1NetworkPolicyPeer>?)r.FromProperty, (IList<V1NetworkPolicyPort>?)r.Ports)), from, port, protocol, to));

    private bool Permits(Endpoint pod, string direction,
        Func<V1NetworkPolicySpec, IEnumerable<(IList<V1NetworkPolicyPeer>? Peers, IList<V1NetworkPolicyPort>? Ports)>?> rules,
        Endpoint peer, int port, string protocol, Endpoint? destination = null)
    {
        var selecting = policies.Where(p => Selects(p.Spec.PodSelector, pod.Labels) && Types(p.Spec).Contains(direction)).ToList();
        if (selecting.Count == 0)
            return true;
        var target = destination ?? peer;
        return selecting.SelectMany(p => rules(p.Spec) ?? []).Any(rule =>
            (rule.Peers is null || rule.Peers.Count == 0 || rule.Peers.Any(p => Matches(p, peer))) &&
            (rule.Ports is null || rule.Ports.Count == 0 || rule.Ports.Any(p => Covers(p, target, port, protocol))));
    }

    /// <summary>Without policyTypes a policy restricts ingress, and egress too when it has egress rules.</summary>
    private static IList<string> Types(V1NetworkPolicySpec spec) =>
        spec.PolicyTypes ?? (spec.Egress is null ? ["Ingress"] : ["Ingress", "Egress"]);

    private bool Matches(V1NetworkPolicyPeer peer, Endpoint endpoint)
    {
        if (peer.IpBlock is { } block)
            return endpoint.Address is { } address && InCidr(address, block.Cidr) && !(block.Except ?? []).Any(e => InCidr(address, e));
        if (endpoint.Address is not null)
            return false;
        var namespaceMatches = peer.NamespaceSelector is null
            ? endpoint.Namespace == ns
            : Selects(peer.NamespaceSelector, new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = endpoint.Namespace });
        return namespaceMatches && (peer.PodSelector is null || Selects(peer.PodSelector, endpoint.Labels));
    }

    private static bool Covers(V1NetworkPolicyPort rule, Endpoint destination, int port, string protocol)
    {
        if ((rule.Protocol ?? "TCP") != protocol)
            return false;
        if (rule.Port is null)
            return true;
        var first = int.TryParse(rule.Port.Value, out var number) ? number
            : destination.NamedPorts.TryGetValue(rule.Port.Value, out var named) ? named : -1;
        return port == first || (rule.EndPort is { } end && port >= first && port <= end);
    }

    public static bool Selects(V1LabelSelector? selector, IReadOnlyDictionary<string, string> labels) =>
        selector is null ||
        ((selector.MatchLabels ?? new Dictionary<string, string>()).All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value) &&
         (selector.MatchExpressions ?? []).All(e => e.OperatorProperty switch
         {
             "In" => labels.TryGetValue(e.Key, out var v) && e.Values.Contains(v),
             "NotIn" => !labels.TryGetValue(e.Key, out var v) || !e.Values.Contains(v),
             "Exists" => labels.ContainsKey(e.Key),
             "DoesNotExist" => !labels.ContainsKey(e.Key),
             _ => throw new InvalidOperationException($"Unknown label selector operator {e.OperatorProperty}."),
         }));

    private static bool InCidr(string address, string cidr)
    {
        var parts = cidr.Split('/');
        var bits = int.Parse(parts[1]);
        var a = BitConverter.ToUInt32(IPAddress.Parse(address).GetAddressBytes().Reverse().ToArray());
        var n = BitConverter.ToUInt32(IPAddress.Parse(parts[0]).GetAddressBytes().Reverse().ToArray());
        var mask = bits == 0 ? 0u : uint.MaxValue << (32 - bits);
        return (a & mask) == (n & mask);
    }
}
