using CloudAssembly.Contracts;

namespace CloudAssembly.Orchestration.Runs;

/// <summary>
/// Blob names of a run (architecture.md): <c>runs/{id}/run.json</c>; per phase the pointer <c>latest.json</c> and one
/// lease per node (rank slot) <c>lease-{n}.json</c>, and each attempt's own files under <c>attempt-{a}/</c>
/// (<c>checkpoint-{e}.pth</c>, <c>finished_checkpoint.pth</c>, <c>log.txt</c>, <c>steps.txt</c>), so two attempts never write the same
/// blob; the assembled model under its assembling's own name <c>runs/{id}/assembled/{assembling}/assembled.pth</c>, named
/// by the pointer <c>runs/{id}/assembled/latest.json</c>; the report under <c>runs/{id}/report/</c> and its TensorBoard event files under <c>runs/{id}/tb/</c>; and one marker per
/// unfinished run under <c>active-runs/</c>, which the watchdog lists instead of every run.
/// </summary>
public static class BlobLayout
{
    public const string ActivePrefix = "active-runs/";

    public static string Run(string runId) => $"runs/{runId}/run.json";

    public static string RunFolder(string runId) => $"runs/{runId}/";

    /// <summary>Why the Assembler refused a run it never created (<see cref="RunRefusal"/>).</summary>
    public static string Refusal(string runId) => $"runs/{runId}/refused.json";

    public static string PhaseFolder(string runId, PhaseKey phase) => $"runs/{runId}/{phase}/";

    public static string Pointer(string runId, PhaseKey phase) => $"runs/{runId}/{phase}/latest.json";

    /// <summary>The lease of one node (rank slot) of the phase's current attempt; node 0 is the only one that writes the phase's files.</summary>
    public static string Lease(string runId, PhaseKey phase, int node = 0) => $"runs/{runId}/{phase}/lease-{node}.json";

    public static string AttemptFolder(string runId, PhaseKey phase, int attempt) => $"runs/{runId}/{phase}/attempt-{attempt}/";

    public static string Checkpoint(string runId, PhaseKey phase, int attempt, int epoch) =>
        $"{AttemptFolder(runId, phase, attempt)}checkpoint-{epoch}.pth";

    public static string StepCheckpoint(string runId, PhaseKey phase, int attempt, int epoch, int step) =>
        $"{AttemptFolder(runId, phase, attempt)}checkpoint-{epoch}-step{step}.pth";

    public static string Finished(string runId, PhaseKey phase, int attempt) => $"{AttemptFolder(runId, phase, attempt)}finished_checkpoint.pth";

    public static string Log(string runId, PhaseKey phase, int attempt) => $"{AttemptFolder(runId, phase, attempt)}log.txt";

    public static string StepLog(string runId, PhaseKey phase, int attempt) => $"{AttemptFolder(runId, phase, attempt)}{Contracts.StepLog.FileName}";

    /// <summary>The run's TensorBoard event files, one folder per phase, so <c>tensorboard --logdir</c> over a download shows every phase.</summary>
    public static string TensorBoardFolder(string runId) => $"runs/{runId}/tb/";

    /// <summary>The lease DataPrep holds while it builds a run's dataset, shaped like a phase's so one watchdog judges both.</summary>
    public static string DatasetLease(string runId) => $"runs/{runId}/dataset/lease-0.json";

    /// <summary>The run's report: <c>report.html</c>, <c>report.json</c> and the figures as PNG and SVG.</summary>
    public static string ReportFolder(string runId) => $"runs/{runId}/report/";

    public static string Report(string runId) => $"{ReportFolder(runId)}report.html";

    /// <summary>The pointer that names the one copy of the assembled model everyone reads.</summary>
    public static string AssembledPointer(string runId) => $"runs/{runId}/assembled/latest.json";

    /// <summary>One assembling's own copy of the assembled model: two Assemblers never write the same blob.</summary>
    public static string Assembled(string runId, string assembling) => $"runs/{runId}/assembled/{assembling}/assembled.pth";

    public static string Active(string runId) => $"{ActivePrefix}{runId}";

    /// <summary>Whether <paramref name="blob"/> is a finished checkpoint that some attempt of this phase wrote.</summary>
    public static bool IsFinished(string runId, PhaseKey phase, string blob) =>
        blob.StartsWith($"runs/{runId}/{phase}/attempt-", StringComparison.Ordinal)
        && blob.EndsWith("/finished_checkpoint.pth", StringComparison.Ordinal)
        && int.TryParse(blob[$"runs/{runId}/{phase}/attempt-".Length..^"/finished_checkpoint.pth".Length], out var attempt) && attempt > 0;
}
