namespace CloudAssembly.Orchestration.Assembler.Launching;

/// <summary>
/// How attempts become Kubernetes Jobs (section <c>Assembler:Jobs</c>): the pod template file (a ConfigMap the platform
/// team kustomizes: image, node selector, tolerations, volumes, resources), the namespace, the Kueue LocalQueue, how
/// long a finished Job stays for <c>kubectl logs</c>, and the API server (in the cluster: its own service account;
/// outside, e.g. <c>http://127.0.0.1:8001</c> from <c>kubectl proxy</c>).
/// </summary>
public sealed record JobOptions
{
    public string Template { get; init; } = "/etc/cloudassembly/trainer-job/pod-template.yaml";
    public string Namespace { get; init; } = "cloudassembly";

    /// <summary>The Kueue LocalQueue that admits the Jobs; empty: no Kueue, Jobs start unsuspended.</summary>
    public string Queue { get; init; } = "cloudassembly";
    public TimeSpan TtlAfterFinished { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Null: the in-cluster configuration (the pod's service account).</summary>
    public string? ApiServer { get; init; }
}
