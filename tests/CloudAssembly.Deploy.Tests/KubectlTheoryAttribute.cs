namespace CloudAssembly.Deploy.Tests;

/// <summary>
/// A theory that needs kubectl to render overlays; skipped like <see cref="KubectlFactAttribute"/>. The checks on the
/// manifest files themselves (<see cref="ManifestFileTests"/>) run either way.
/// </summary>
public sealed class KubectlTheoryAttribute : TheoryAttribute
{
    public KubectlTheoryAttribute()
    {
        if (Kustomize.SkipReason is { } reason)
            Skip = reason;
    }
}
