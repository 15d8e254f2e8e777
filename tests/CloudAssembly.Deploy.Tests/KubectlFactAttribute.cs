namespace CloudAssembly.Deploy.Tests;

/// <summary>A fact that needs kubectl to render overlays; reported as skipped where it is missing.</summary>
public sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (Kustomize.Kubectl is null)
            Skip = "kubectl is not installed, so the overlays cannot be rendered.";
    }
}
