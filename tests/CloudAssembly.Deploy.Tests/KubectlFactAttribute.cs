namespace CloudAssembly.Deploy.Tests;

/// <summary>
/// A fact that needs kubectl to render overlays: skipped where it is missing on a developer's machine, but run (and
/// failing with the reason) in CI, where eng/k8s-tools.sh has checked for it.
/// </summary>
public sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (Kustomize.SkipReason is { } reason)
            Skip = reason;
    }
}
