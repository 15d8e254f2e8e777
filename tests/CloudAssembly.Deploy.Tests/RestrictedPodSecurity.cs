using k8s.Models;

namespace CloudAssembly.Deploy.Tests;

/// <summary>
/// The restricted Pod Security Standard (baseline included), as the API server's admission checks it, applied to a pod
/// template; plus this project's two extras: a read-only root filesystem, and no service account token unless
/// <c>callsTheApi</c> (its account is granted a Role: the Assembler that launches Jobs). Kyverno, OPA and the like are
/// not installable from the registries this project may use, so the rules are spelled out here.
/// </summary>
public static class RestrictedPodSecurity
{
    private static readonly HashSet<string> AllowedVolumeTypes =
        ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

    private static readonly HashSet<string> AllowedSeLinuxTypes = ["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

    public static IEnumerable<string> Violations(V1PodSpec pod, bool callsTheApi = false)
    {
        var security = pod.SecurityContext ?? new V1PodSecurityContext();
        if (pod.HostNetwork == true || pod.HostPID == true || pod.HostIPC == true)
            yield return "shares a host namespace (hostNetwork, hostPID or hostIPC)";
        if (!callsTheApi && pod.AutomountServiceAccountToken != false)
            yield return "mounts a service account token (automountServiceAccountToken is not false)";
        if (callsTheApi && pod.AutomountServiceAccountToken != true)
            yield return "calls the API without a service account token (automountServiceAccountToken is not true)";
        foreach (var volume in pod.Volumes ?? [])
            if (VolumeType(volume) is { } type && !AllowedVolumeTypes.Contains(type))
                yield return $"volume {volume.Name} is of type {type}";
        if (security.Sysctls is { Count: > 0 })
            yield return "sets sysctls";
        if (security.SeccompProfile?.Type is "Unconfined")
            yield return "sets seccomp Unconfined for the pod";
        if (security.AppArmorProfile?.Type is "Unconfined")
            yield return "sets AppArmor Unconfined for the pod";
        foreach (var issue in SeLinux(security.SeLinuxOptions))
            yield return $"pod: {issue}";

        foreach (var container in Manifests.AllContainers(pod))
        {
            var own = container.SecurityContext ?? new V1SecurityContext();
            var name = container.Name;
            if (own.Privileged == true)
                yield return $"{name}: privileged";
            if (own.AllowPrivilegeEscalation != false)
                yield return $"{name}: allowPrivilegeEscalation is not false";
            if ((own.RunAsNonRoot ?? security.RunAsNonRoot) != true)
                yield return $"{name}: runAsNonRoot is not true";
            if ((own.RunAsUser ?? security.RunAsUser) == 0)
                yield return $"{name}: runs as user 0";
            if ((own.SeccompProfile ?? security.SeccompProfile)?.Type is not ("RuntimeDefault" or "Localhost"))
                yield return $"{name}: seccompProfile is not RuntimeDefault or Localhost";
            if (own.AppArmorProfile?.Type is "Unconfined")
                yield return $"{name}: AppArmor Unconfined";
            if (own.Capabilities?.Drop?.Contains("ALL") != true)
                yield return $"{name}: does not drop ALL capabilities";
            foreach (var added in (own.Capabilities?.Add ?? []).Where(c => c != "NET_BIND_SERVICE"))
                yield return $"{name}: adds capability {added}";
            if (own.ProcMount is { } proc && proc != "Default")
                yield return $"{name}: procMount {proc}";
            foreach (var issue in SeLinux(own.SeLinuxOptions))
                yield return $"{name}: {issue}";
            if ((container.Ports ?? []).Any(p => p.HostPort is > 0))
                yield return $"{name}: uses a host port";
            if (own.ReadOnlyRootFilesystem != true)
                yield return $"{name}: root filesystem is writable";
        }
    }

    private static IEnumerable<string> SeLinux(V1SELinuxOptions? options)
    {
        if (options is null)
            yield break;
        if (!AllowedSeLinuxTypes.Contains(options.Type ?? ""))
            yield return $"SELinux type {options.Type}";
        if (!string.IsNullOrEmpty(options.User) || !string.IsNullOrEmpty(options.Role))
            yield return "sets an SELinux user or role";
    }

    /// <summary>The one volume source a volume sets, by its field name (hostPath, nfs, ...).</summary>
    private static string? VolumeType(V1Volume volume) =>
        typeof(V1Volume).GetProperties()
            .Where(p => p.Name != nameof(V1Volume.Name) && p.GetValue(volume) is not null)
            .Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..])
            .SingleOrDefault();
}
