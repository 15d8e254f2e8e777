using System.Text.Json;
using System.Text.RegularExpressions;
using k8s.Models;

namespace CloudAssembly.Orchestration.Assembler.Launching;

/// <summary>
/// Reads where an attempt's Job stands from what the API server returns: its conditions (a <c>podFailurePolicy</c> rule
/// up to <see cref="AttemptJob.LastPreemptionRule"/> means preempted), whether Kueue still holds it suspended, and
/// then why, from its Kueue Workload's conditions.
/// </summary>
public static partial class JobPlacement
{
    /// <summary>Our Job's attempt and state (null for a Job that is not ours); a waiting one says what it waits for.</summary>
    public static PlacedAttempt? Of(V1Job job, IReadOnlyDictionary<string, string> admissionByJobUid, string? queue, int gpusPerPod)
    {
        if (AttemptJob.AttemptOf(job) is not var (runId, phase, attemptId, generation))
            return null;
        var (state, detail) = Read(job, admissionByJobUid.GetValueOrDefault(job.Metadata.Uid ?? ""), queue, gpusPerPod);
        return new PlacedAttempt(job.Metadata.Name, runId, phase, attemptId, generation, state, detail);
    }

    public static (PlacementState State, string? Detail) Read(V1Job job, string? admission, string? queue, int gpusPerPod)
    {
        var conditions = job.Status?.Conditions ?? [];
        bool Holds(string type) => conditions.Any(c => c.Type == type && c.Status == "True");
        if (conditions.FirstOrDefault(c => c.Type is "Failed" or "FailureTarget" && c.Status == "True") is { } failed)
        {
            var detail = $"Job {job.Metadata.Name}: {failed.Message ?? failed.Reason}";
            var preempted = failed.Reason == "PodFailurePolicy" && RuleIndex().Match(failed.Message ?? "") is { Success: true } rule
                && int.Parse(rule.Groups[1].ValueSpan) <= AttemptJob.LastPreemptionRule;
            return (preempted ? PlacementState.Preempted : PlacementState.Failed, detail);
        }
        if (Holds("Complete") || Holds("SuccessCriteriaMet"))
            return (PlacementState.Succeeded, null);
        if (job.Spec?.Suspend == true)
            return (PlacementState.Waiting, Waiting(job.Spec.Parallelism ?? 1, admission, queue, gpusPerPod));
        return (PlacementState.Running, null);
    }

    /// <summary>"waiting for admission by Kueue queue 'q' (2 pods × 8 GPUs = 16 GPUs together): insufficient quota …".</summary>
    private static string Waiting(int pods, string? admission, string? queue, int gpusPerPod)
    {
        var by = string.IsNullOrEmpty(queue) ? "the cluster" : $"Kueue queue '{queue}'";
        var needs = gpusPerPod > 0 ? $"{pods} pod(s) × {gpusPerPod} GPU(s) = {pods * gpusPerPod} GPUs together" : $"{pods} pod(s) together";
        return $"waiting for admission by {by} ({needs})" + (admission is null ? "" : $": {admission}");
    }

    /// <summary>
    /// Why each Job Kueue has not admitted waits, by the Job's uid (a Workload is owned by its Job): the message of its
    /// <c>QuotaReserved</c> (or <c>Admitted</c>) condition while that is False, e.g. "couldn't assign flavors to pod set
    /// main: insufficient quota for nvidia.com/gpu in flavor gpu, request &gt; maximum capacity (16 &gt; 8)".
    /// </summary>
    public static IReadOnlyDictionary<string, string> Admissions(JsonElement workloadList)
    {
        var waiting = new Dictionary<string, string>();
        if (!workloadList.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
            return waiting;
        foreach (var workload in items.EnumerateArray())
        {
            var owner = workload.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("ownerReferences", out var owners)
                && owners.ValueKind == JsonValueKind.Array
                ? owners.EnumerateArray().FirstOrDefault(o => Text(o, "kind") == "Job") : default;
            if (owner.ValueKind != JsonValueKind.Object || Text(owner, "uid") is not { } uid
                || !workload.TryGetProperty("status", out var status) || !status.TryGetProperty("conditions", out var conditions)
                || conditions.ValueKind != JsonValueKind.Array)
                continue;
            var pending = conditions.EnumerateArray().FirstOrDefault(c => Text(c, "type") is "QuotaReserved" or "Admitted" && Text(c, "status") == "False");
            if (pending.ValueKind == JsonValueKind.Object && Text(pending, "message") is { Length: > 0 } message)
                waiting[uid] = message;
        }
        return waiting;
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [GeneratedRegex(@"FailJob rule at index (\d+)")]
    private static partial Regex RuleIndex();
}
