using k8s.Models;

namespace CloudAssembly.Deploy.Tests;

public sealed class PodSecurityTests
{
    [KubectlTheory]
    [InlineData(RenderedOverlays.LocalCpu)]
    [InlineData(RenderedOverlays.Gpu)]
    public void The_namespace_enforces_the_restricted_standard_and_every_pod_template_meets_it(string overlay)
    {
        var objects = RenderedOverlays.Objects(overlay);
        var ns = objects.OfType<V1Namespace>().Single();
        var callers = Manifests.BoundServiceAccounts(objects);
        var violations = Manifests.Pods(objects)
            .SelectMany(p => RestrictedPodSecurity.Violations(p.Template.Spec, callers.Contains(p.Template.Spec.ServiceAccountName))
                .Select(v => $"{p.Owner.Name}: {v}")).ToList();

        Assert.Equal("restricted", ns.Metadata.Labels["pod-security.kubernetes.io/enforce"]);
        Assert.NotEmpty(Manifests.Workloads(objects));
        Assert.Empty(violations);
    }

    [KubectlFact]
    public void A_template_that_breaks_the_rules_is_reported_rule_by_rule()
    {
        var pod = Manifests.Deployment(RenderedOverlays.Objects(RenderedOverlays.Gpu), "data-prep").Spec.Template.Spec;
        var broken = KubernetesJsonClone(pod);
        broken.HostNetwork = true;
        broken.AutomountServiceAccountToken = null;
        broken.SecurityContext.SeccompProfile = null;
        broken.SecurityContext.RunAsNonRoot = null;
        broken.Volumes.Add(new V1Volume { Name = "host", HostPath = new V1HostPathVolumeSource { Path = "/var/run" } });
        var container = broken.Containers[0];
        container.SecurityContext.AllowPrivilegeEscalation = null;
        container.SecurityContext.Capabilities = new V1Capabilities { Add = ["SYS_ADMIN"] };
        container.SecurityContext.ReadOnlyRootFilesystem = false;
        container.SecurityContext.RunAsUser = 0;

        var violations = RestrictedPodSecurity.Violations(broken).ToList();

        Assert.Empty(RestrictedPodSecurity.Violations(pod));
        foreach (var expected in new[] { "host namespace", "service account token", "type hostPath", "allowPrivilegeEscalation",
                     "runAsNonRoot", "user 0", "seccompProfile", "drop ALL", "adds capability SYS_ADMIN", "root filesystem is writable" })
            Assert.Contains(violations, v => v.Contains(expected, StringComparison.Ordinal));
    }

    [KubectlFact]
    public void The_job_template_is_held_to_the_same_rules()
    {
        var pod = Manifests.JobTemplate(RenderedOverlays.Objects(RenderedOverlays.Gpu)).Spec;
        var broken = KubernetesJsonClone(pod);
        broken.Containers[0].SecurityContext.AllowPrivilegeEscalation = true;
        broken.AutomountServiceAccountToken = true;

        Assert.Empty(RestrictedPodSecurity.Violations(pod));
        Assert.Contains(RestrictedPodSecurity.Violations(broken), v => v.Contains("allowPrivilegeEscalation", StringComparison.Ordinal));
        Assert.Contains(RestrictedPodSecurity.Violations(broken), v => v.Contains("service account token", StringComparison.Ordinal));
    }

    private static V1PodSpec KubernetesJsonClone(V1PodSpec pod) =>
        k8s.KubernetesJson.Deserialize<V1PodSpec>(k8s.KubernetesJson.Serialize(pod));
}
