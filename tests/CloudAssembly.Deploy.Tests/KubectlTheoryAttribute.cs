namespace CloudAssembly.Deploy.Tests;

/// <summary>
/// A theory that needs kubectl to render overlays; reported as skipped where it is missing. The checks on the
/// manifest files themselves (<see cref="ManifestFileTests"/>) run either way.
/// </summary>
public sealed class KubectlTheoryAttribute : TheoryAttribute
{
    public KubectlTheoryAttribute()
    {
        if (Kustomize.Kubectl is null)
            Skip = "kubectl is not installed, so the overlays cannot be rendered.";
    }
}
