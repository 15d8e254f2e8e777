using System.Diagnostics;

namespace CloudAssembly.Deploy.Tests;

/// <summary>Renders an overlay offline with <c>kubectl kustomize</c> (kubectl's built-in kustomize; no cluster needed).</summary>
public static class Kustomize
{
    public static string? Kubectl { get; } =
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "kubectl"))
            .FirstOrDefault(File.Exists);

    /// <summary>Why rendered checks are skipped here, or null: never in CI, where a missing kubectl must fail them.</summary>
    public static string? SkipReason =>
        Kubectl is null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
            ? "kubectl is not installed, so the overlays cannot be rendered (eng/k8s-tools.sh checks for it)."
            : null;

    public static string Render(string overlay)
    {
        var kubectl = Kubectl ?? throw new InvalidOperationException("kubectl is not on PATH: install kubectl 1.27 or newer (eng/k8s-tools.sh checks for it).");
        var start = new ProcessStartInfo(kubectl, ["kustomize", Path.Combine(Repository.K8s, overlay)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var yaml = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"kubectl kustomize {overlay} failed (exit code {process.ExitCode}): {stderr.Result}");
        return yaml;
    }
}
