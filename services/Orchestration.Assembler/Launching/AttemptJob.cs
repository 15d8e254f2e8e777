using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using k8s;
using k8s.Models;

namespace CloudAssembly.Orchestration.Assembler.Launching;

/// <summary>
/// One phase attempt as a Kubernetes Job: Indexed, one pod per node (<c>JOB_COMPLETION_INDEX</c> is the node rank), all
/// of them or none (Kueue admits the gang against its quota; the Job is created suspended for it), no retries of its
/// own (<c>backoffLimit: 0</c>: the run's state machine owns retries), and a <c>podFailurePolicy</c> whose rule index
/// tells a preemption (rules 0 and 1: the trainer's exit code <see cref="AttemptEnd.Preempted"/>, or the cluster
/// taking the pod away) from a failure (rule 2). The pods are the platform team's template with the attempt's
/// arguments and labels added.
/// </summary>
public static class AttemptJob
{
    public const string ContainerName = "trainer";
    public const string ManagedBy = "cloudassembly-assembler";
    public const string RunLabel = "cloudassembly.io/run";
    public const string PhaseLabel = "cloudassembly.io/phase";
    public const string AttemptLabel = "cloudassembly.io/attempt";
    public const string AttemptIdAnnotation = "cloudassembly.io/attempt-id";
    public const string GenerationAnnotation = "cloudassembly.io/generation";
    public const string QueueLabel = "kueue.x-k8s.io/queue-name";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    /// <summary>The podFailurePolicy rules up to this index mean "preempted".</summary>
    public const int LastPreemptionRule = 1;

    /// <summary>Pods of an Indexed Job are named <c>{job}-{index}-{random}</c> and their hostnames <c>{job}-{index}</c>: keep room for both.</summary>
    private const int MaxNameLength = 52;

    public static string Name(string attemptId, int generation)
    {
        var name = $"ca-{Sanitize(attemptId)}-g{generation.ToString(CultureInfo.InvariantCulture)}";
        if (name.Length <= MaxNameLength)
            return name;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8];
        return $"{name[..(MaxNameLength - 9)].TrimEnd('-')}-{hash}";
    }

    public static V1Job Build(IReadOnlyList<TrainPhase> ranks, V1PodTemplateSpec template, JobOptions options)
    {
        var first = ranks[0];
        if (ranks.Any(r => r.AttemptId != first.AttemptId || r.Generation != first.Generation) || ranks.Count != first.Nodes)
            throw new ArgumentException($"A Job runs all {first.Nodes} rank slot(s) of one attempt; got {ranks.Count} slot(s) of {string.Join(", ", ranks.Select(r => r.AttemptId).Distinct())}.");
        var labels = new Dictionary<string, string>
        {
            [ManagedByLabel] = ManagedBy,
            [RunLabel] = first.RunId,
            [PhaseLabel] = first.Phase.ToString(),
            [AttemptLabel] = first.Attempt.ToString(CultureInfo.InvariantCulture),
        };
        var pod = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(template));
        pod.Metadata ??= new V1ObjectMeta();
        pod.Metadata.Labels = Merge(pod.Metadata.Labels, labels);
        pod.Spec.RestartPolicy = "Never";
        var container = pod.Spec.Containers.Single(c => c.Name == ContainerName);
        container.Args = [.. new AttemptArguments(first.RunId, first.Phase, first.AttemptId, first.Generation).ToArgs()];

        var jobLabels = new Dictionary<string, string>(labels);
        var queued = !string.IsNullOrEmpty(options.Queue);
        if (queued)
            jobLabels[QueueLabel] = options.Queue;
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = Name(first.AttemptId, first.Generation),
                NamespaceProperty = options.Namespace,
                Labels = jobLabels,
                Annotations = new Dictionary<string, string>
                {
                    [AttemptIdAnnotation] = first.AttemptId,
                    [GenerationAnnotation] = first.Generation.ToString(CultureInfo.InvariantCulture),
                },
            },
            Spec = new V1JobSpec
            {
                CompletionMode = "Indexed",
                Completions = first.Nodes,
                Parallelism = first.Nodes,
                BackoffLimit = 0,
                // Kueue lets the Job start (unsuspends it) once every pod of it fits the queue's quota.
                Suspend = queued,
                TtlSecondsAfterFinished = (int)options.TtlAfterFinished.TotalSeconds,
                PodFailurePolicy = new V1PodFailurePolicy
                {
                    Rules =
                    [
                        new V1PodFailurePolicyRule
                        {
                            Action = "FailJob",
                            OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement
                            {
                                ContainerName = ContainerName, OperatorProperty = "In", Values = [(int)AttemptEnd.Preempted],
                            },
                        },
                        new V1PodFailurePolicyRule
                        {
                            Action = "FailJob",
                            OnPodConditions = [new V1PodFailurePolicyOnPodConditionsPattern { Type = "DisruptionTarget", Status = "True" }],
                        },
                        new V1PodFailurePolicyRule
                        {
                            Action = "FailJob",
                            OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement
                            {
                                ContainerName = ContainerName, OperatorProperty = "NotIn", Values = [(int)AttemptEnd.Completed],
                            },
                        },
                    ],
                },
                Template = pod,
            },
        };
    }

    /// <summary>The attempt a Job of ours runs, from its labels and annotations; null for any other Job.</summary>
    public static (string RunId, PhaseKey Phase, string AttemptId, int Generation)? AttemptOf(V1Job job)
    {
        IReadOnlyDictionary<string, string> labels = new Dictionary<string, string>(job.Metadata?.Labels ?? new Dictionary<string, string>());
        IReadOnlyDictionary<string, string> annotations = new Dictionary<string, string>(job.Metadata?.Annotations ?? new Dictionary<string, string>());
        if (labels.GetValueOrDefault(ManagedByLabel) != ManagedBy
            || !labels.TryGetValue(RunLabel, out var runId) || !PhaseKey.TryParse(labels.GetValueOrDefault(PhaseLabel), out var phase)
            || !annotations.TryGetValue(AttemptIdAnnotation, out var attemptId)
            || !int.TryParse(annotations.GetValueOrDefault(GenerationAnnotation), NumberStyles.None, CultureInfo.InvariantCulture, out var generation))
            return null;
        return (runId, phase, attemptId, generation);
    }

    private static Dictionary<string, string> Merge(IDictionary<string, string>? existing, IReadOnlyDictionary<string, string> added)
    {
        var merged = existing is null ? new Dictionary<string, string>() : new Dictionary<string, string>(existing);
        foreach (var (key, value) in added)
            merged[key] = value;
        return merged;
    }

    private static string Sanitize(string attemptId)
    {
        var name = new StringBuilder(attemptId.Length);
        foreach (var c in attemptId.ToLowerInvariant())
            name.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        return name.ToString();
    }
}
