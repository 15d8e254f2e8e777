using System.Net;
using System.Text.Json;
using CloudAssembly.Contracts;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace CloudAssembly.Orchestration.Assembler.Launching;

/// <summary>
/// Each attempt as one Kubernetes Job (<see cref="AttemptJob"/>), admitted as a gang by Kueue. Thin on purpose: create,
/// list and delete Jobs, list Kueue Workloads; what a Job looks like and what its status means is decided elsewhere.
/// A Job that already exists is this attempt's (the name is the attempt and its generation), so launching twice is
/// harmless; when a new attempt of a phase launches, Jobs of its earlier attempts are deleted. The Assembler's
/// service account needs a namespaced Role: jobs create, get, list, watch, delete; Kueue workloads get, list, watch.
/// </summary>
public sealed class KubernetesJobLauncher(IKubernetes api, V1PodTemplateSpec template, JobOptions options, ILogger<KubernetesJobLauncher> log)
    : IAttemptLauncher
{
    private static readonly string OurJobs = $"{AttemptJob.ManagedByLabel}={AttemptJob.ManagedBy}";
    private readonly int gpusPerPod = AttemptJobTemplate.GpusPerPod(template);

    public bool ResendsUnclaimed => false;

    public async Task LaunchAsync(IReadOnlyList<TrainPhase> ranks, IPublishEndpoint publish, CancellationToken ct)
    {
        var job = AttemptJob.Build(ranks, template, options);
        var first = ranks[0];
        var earlier = await api.BatchV1.ListNamespacedJobAsync(options.Namespace,
            labelSelector: $"{OurJobs},{AttemptJob.RunLabel}={first.RunId},{AttemptJob.PhaseLabel}={first.Phase}", cancellationToken: ct);
        foreach (var old in earlier.Items.Where(j => j.Metadata.Name != job.Metadata.Name))
            await DeleteAsync(old.Metadata.Name, ct);
        try
        {
            await api.BatchV1.CreateNamespacedJobAsync(job, options.Namespace, cancellationToken: ct);
            log.LogInformation("Created Job {Job} for {AttemptId}: {Nodes} pod(s){Gpus}{Queue}", job.Metadata.Name, first.AttemptId, first.Nodes,
                gpusPerPod > 0 ? $" × {gpusPerPod} GPU(s)" : "", string.IsNullOrEmpty(options.Queue) ? "" : $", waiting for admission by Kueue queue '{options.Queue}'");
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            log.LogInformation("Job {Job} for {AttemptId} exists already", job.Metadata.Name, first.AttemptId);
        }
        catch (HttpOperationException e) when ((int)e.Response.StatusCode is >= 400 and < 500 and not 408 and not 429)
        {
            throw new AttemptRefusedException($"Kubernetes refused Job {job.Metadata.Name} for {first.Phase} attempt {first.Attempt} " +
                $"({(int)e.Response.StatusCode}): {OneLine(Status(e))}", e);
        }
    }

    public async Task<IReadOnlyList<PlacedAttempt>?> ObserveAsync(CancellationToken ct)
    {
        var jobs = await api.BatchV1.ListNamespacedJobAsync(options.Namespace, labelSelector: OurJobs, cancellationToken: ct);
        var admissions = jobs.Items.Any(j => j.Spec?.Suspend == true) ? await AdmissionsAsync(ct) : new Dictionary<string, string>();
        return [.. jobs.Items.Select(j => JobPlacement.Of(j, admissions, options.Queue, gpusPerPod)).OfType<PlacedAttempt>()];
    }

    public Task RemoveAsync(PlacedAttempt attempt, CancellationToken ct) => DeleteAsync(attempt.Name, ct);

    private async Task DeleteAsync(string name, CancellationToken ct)
    {
        try
        {
            await api.BatchV1.DeleteNamespacedJobAsync(name, options.Namespace, propagationPolicy: "Foreground", cancellationToken: ct);
            log.LogInformation("Deleted Job {Job} (its attempt was replaced or its run ended)", name);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>Why Kueue holds each waiting Job, by Job uid; none when Kueue's Workloads cannot be read (not installed, no permission).</summary>
    private async Task<IReadOnlyDictionary<string, string>> AdmissionsAsync(CancellationToken ct)
    {
        try
        {
            var list = await api.CustomObjects.ListNamespacedCustomObjectAsync("kueue.x-k8s.io", "v1beta2", options.Namespace, "workloads",
                cancellationToken: ct);
            return JobPlacement.Admissions(list is JsonElement element ? element : JsonSerializer.SerializeToElement(list));
        }
        catch (HttpOperationException e) when ((int)e.Response.StatusCode is 403 or 404)
        {
            log.LogDebug("Kueue Workloads cannot be read ({Status}); waiting Jobs are shown without Kueue's reason", (int)e.Response.StatusCode);
            return new Dictionary<string, string>();
        }
    }

    private static string Status(HttpOperationException e)
    {
        try
        {
            return KubernetesJson.Deserialize<V1Status>(e.Response.Content)?.Message ?? e.Response.Content;
        }
        catch (JsonException)
        {
            return e.Response.Content ?? e.Message;
        }
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
