using k8s;
using k8s.Models;

namespace CloudAssembly.Orchestration.Assembler.Launching;

/// <summary>
/// The pod template every attempt's Job starts from, read from the file the platform team's ConfigMap mounts. Checked
/// when the Assembler starts, so a broken template stops the Assembler with the reason instead of failing every run.
/// </summary>
public static class AttemptJobTemplate
{
    public static V1PodTemplateSpec Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"The trainer Job template {path} does not exist: mount the trainer-job-template ConfigMap there, or set Assembler:Jobs:Template.", path);
        V1PodTemplateSpec template;
        try
        {
            template = KubernetesYaml.Deserialize<V1PodTemplateSpec>(File.ReadAllText(path), strict: true);
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"The trainer Job template {path} is not a PodTemplateSpec: {e.Message}", e);
        }
        var containers = template?.Spec?.Containers ?? [];
        if (!containers.Any(c => c.Name == AttemptJob.ContainerName))
            throw new InvalidDataException($"The trainer Job template {path} has no container named '{AttemptJob.ContainerName}' (found: {string.Join(", ", containers.Select(c => c.Name))}).");
        if (template!.Spec.RestartPolicy is { } restart && restart != "Never")
            throw new InvalidDataException($"The trainer Job template {path} sets restartPolicy {restart}; a phase attempt's pods must not restart (use Never): a new attempt resumes from the last checkpoint instead.");
        return template;
    }

    /// <summary>The GPUs one pod of the template asks for (its trainer container's <c>nvidia.com/gpu</c> limit), 0 on CPU.</summary>
    public static int GpusPerPod(V1PodTemplateSpec template) =>
        template.Spec.Containers.Single(c => c.Name == AttemptJob.ContainerName).Resources?.Limits is { } limits
        && limits.TryGetValue("nvidia.com/gpu", out var gpus) ? gpus.ToInt32() : 0;
}
