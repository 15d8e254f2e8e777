using System.Collections.Concurrent;

namespace CloudAssembly.Deploy.Tests;

/// <summary>Each overlay rendered once per test run and loaded strictly.</summary>
public static class RenderedOverlays
{
    public const string LocalCpu = "overlays/local-cpu";
    public const string Gpu = "overlays/gpu";

    private static readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<object>>> Rendered = new();

    public static IReadOnlyList<object> Objects(string overlay) =>
        Rendered.GetOrAdd(overlay, o => new Lazy<IReadOnlyList<object>>(() => Manifests.Load(Kustomize.Render(o)))).Value;
}
