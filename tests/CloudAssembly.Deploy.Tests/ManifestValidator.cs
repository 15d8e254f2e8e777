using System.Diagnostics;

namespace CloudAssembly.Deploy.Tests;

/// <summary>
/// eng/k8s-validate/validate.mjs: every object against the Kubernetes, KEDA and Kueue schemas, and each Job pod
/// template kept in a ConfigMap as a PodTemplate, offline (npm packages kubernetes-models, @kubernetes-models/keda and
/// ajv, installed by eng/k8s-tools.sh; Kueue's CRDs in eng/k8s-validate/kueue).
/// </summary>
public static class ManifestValidator
{
    private static string Folder => Path.Combine(Repository.Root, "eng", "k8s-validate");

    public static (int ExitCode, string Output) Validate(string yaml)
    {
        if (!Directory.Exists(Path.Combine(Folder, "node_modules")))
            throw new InvalidOperationException($"The validator's packages are not installed in {Folder}: run eng/k8s-tools.sh.");
        var start = new ProcessStartInfo("node", [Path.Combine(Folder, "validate.mjs")])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(yaml);
        process.StandardInput.Close();
        process.WaitForExit();
        return (process.ExitCode, output.Result + errors.Result);
    }
}
