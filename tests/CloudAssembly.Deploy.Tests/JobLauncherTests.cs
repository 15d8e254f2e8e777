using k8s.Models;

namespace CloudAssembly.Deploy.Tests;

/// <summary>The Assembler of the gpu overlay launches phase Jobs: what it reads, and what it may do with the API.</summary>
public sealed class JobLauncherTests
{
    private static IReadOnlyList<object> Objects => RenderedOverlays.Objects(RenderedOverlays.Gpu);

    [KubectlFact]
    public void The_assembler_launches_jobs_from_the_template_it_mounts_in_its_own_namespace()
    {
        var assembler = Manifests.Deployment(Objects, "assembler");
        var container = Manifests.Container(assembler);
        var templatePath = Manifests.Env(container, "Assembler__Jobs__Template")!;
        var mount = container.VolumeMounts.Single(m => templatePath.StartsWith(m.MountPath + "/", StringComparison.Ordinal));
        var volume = assembler.Spec.Template.Spec.Volumes.Single(v => v.Name == mount.Name);
        var config = Objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == volume.ConfigMap.Name);

        Assert.Equal("KubernetesJobs", Manifests.Env(container, "Assembler__Launcher"));
        Assert.Equal("/etc/cloudassembly/trainer-job/pod-template.yaml", templatePath);
        Assert.True(mount.ReadOnlyProperty);
        Assert.StartsWith("trainer-job-template", config.Metadata.Name);
        Assert.Equal(Manifests.PodTemplateKey, templatePath[(mount.MountPath.Length + 1)..]);
        Assert.True(config.Data.ContainsKey(Manifests.PodTemplateKey));
        Assert.Equal("metadata.namespace", container.Env.Single(e => e.Name == "Assembler__Jobs__Namespace").ValueFrom.FieldRef.FieldPath);
        Assert.False(string.IsNullOrEmpty(Manifests.Env(container, "Assembler__Jobs__Queue")));
    }

    [KubectlFact]
    public void The_assembler_may_create_watch_and_delete_jobs_and_read_workloads_in_its_namespace_and_nothing_else()
    {
        var binding = Objects.OfType<V1RoleBinding>().Single();
        var role = Objects.OfType<V1Role>().Single(r => r.Metadata.Name == binding.RoleRef.Name);
        var rules = role.Rules.SelectMany(r => r.ApiGroups.SelectMany(g => r.Resources.SelectMany(res => r.Verbs.Select(v => $"{g}/{res}:{v}")))).Order();

        Assert.Equal(("Role", "rbac.authorization.k8s.io"), (binding.RoleRef.Kind, binding.RoleRef.ApiGroup));
        Assert.Equal([("ServiceAccount", "assembler", "cloudassembly")], binding.Subjects.Select(s => (s.Kind, s.Name, s.NamespaceProperty)));
        Assert.Equal(new[]
        {
            "batch/jobs:create", "batch/jobs:delete", "batch/jobs:get", "batch/jobs:list", "batch/jobs:watch",
            "kueue.x-k8s.io/workloads:get", "kueue.x-k8s.io/workloads:list", "kueue.x-k8s.io/workloads:watch",
        }, rules);
        Assert.All(role.Rules, r => Assert.Null(r.ResourceNames));
        Assert.DoesNotContain(Objects, o => o is V1ClusterRole or V1ClusterRoleBinding);
    }

    [KubectlTheory]
    [InlineData(RenderedOverlays.LocalCpu)]
    [InlineData(RenderedOverlays.Gpu)]
    public void No_role_grants_a_wildcard_and_only_a_bound_account_gets_a_token(string overlay)
    {
        var objects = RenderedOverlays.Objects(overlay);
        var bound = Manifests.BoundServiceAccounts(objects);
        var values = objects.OfType<V1Role>().SelectMany(r => r.Rules)
            .SelectMany(r => r.ApiGroups.Concat(r.Resources).Concat(r.Verbs).Concat(r.ResourceNames ?? []));

        Assert.DoesNotContain("*", values);
        Assert.All(objects.OfType<V1ServiceAccount>(), a => Assert.Equal(bound.Contains(a.Metadata.Name), a.AutomountServiceAccountToken));
        Assert.All(Manifests.Pods(objects), p => Assert.Equal(bound.Contains(p.Template.Spec.ServiceAccountName), p.Template.Spec.AutomountServiceAccountToken));
        string[] callers = overlay == RenderedOverlays.Gpu ? ["assembler"] : [];
        Assert.Equal(callers, bound.Order());
    }
}
