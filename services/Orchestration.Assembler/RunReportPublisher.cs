using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Reporting;
using CloudAssembly.Storage;

namespace CloudAssembly.Orchestration.Assembler;

/// <summary>
/// Writes a completed run's report into <c>runs/{id}/report/</c>: reads each phase's <c>log.txt</c> through the phase's
/// pointer (the log of the attempt that finished it), renders the report and stores its files beside the checkpoints.
/// Returns the blob name of <c>report.html</c>.
/// </summary>
public sealed class RunReportPublisher(IBlobStore store, PointerStore pointers)
{
    public async Task<string> PublishAsync(RunDocument run, CancellationToken ct)
    {
        var phases = new List<PhaseRecord>();
        foreach (var (phase, state) in run.Phases)
        {
            if (state.Metrics is { } metrics)
                phases.Add(new PhaseRecord(phase, state.StartedAt, state.CompletedAt, metrics, await ReadLogAsync(run.RunId, phase, ct)));
        }
        var report = RunReportBuilder.Build(run.RunId, run.Spec, run.Metrics!, phases);
        // The file names are the writer's; report.html among them is where BlobLayout.Report points.
        foreach (var (name, content) in RunReportWriter.Render(report))
        {
            using var stream = new MemoryStream(content);
            await store.PutAsync(BlobLayout.ReportFolder(run.RunId) + name, stream, ct);
        }
        return BlobLayout.Report(run.RunId);
    }

    /// <summary>The log.txt the phase's pointer names; the final evaluation keeps none.</summary>
    private async Task<IReadOnlyList<EpochLog>> ReadLogAsync(string runId, PhaseKey phase, CancellationToken ct)
    {
        if (await pointers.TryReadAsync(BlobLayout.Pointer(runId, phase), ct) is not { Pointer.Log: { } log })
            return [];
        await using var content = await store.GetAsync(log, ct);
        using var reader = new StreamReader(content.Content);
        return PhaseRecord.ParseLog(await reader.ReadToEndAsync(ct));
    }
}
