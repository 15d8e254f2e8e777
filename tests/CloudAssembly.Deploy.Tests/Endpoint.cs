namespace CloudAssembly.Deploy.Tests;

/// <summary>
/// Something a flow starts or ends at: a pod (its namespace, labels and named ports) or an address outside the cluster.
/// <paramref name="Inside"/> marks pods of the deployment's own namespace, whose NetworkPolicies apply to them.
/// </summary>
public sealed record Endpoint(string Name, string Namespace, IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, int> NamedPorts, string? Address = null, bool Inside = false)
{
    public static Endpoint Pod(string name, string ns, IReadOnlyDictionary<string, string> labels, bool inside = false,
        IReadOnlyDictionary<string, int>? namedPorts = null) =>
        new(name, ns, labels, namedPorts ?? new Dictionary<string, int>(), null, inside);

    public static Endpoint External(string name, string address) =>
        new(name, "", new Dictionary<string, string>(), new Dictionary<string, int>(), address);
}
