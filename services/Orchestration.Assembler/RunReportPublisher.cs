using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Reporting;
using CloudAssembly.Reporting.TensorBoard;
using CloudAssembly.Storage;

namespace CloudAssembly.Orchestration.Assembler;

/// <summary>
/// Writes a completed run's report into <c>runs/{id}/report/</c> and its TensorBoard event files into
/// <c>runs/{id}/tb/</c>: reads each phase's <c>log.txt</c> and <c>steps.txt</c> through the phase's pointer (the logs of
/// the attempt that finished it, which carry the epochs of the attempts before), and its attempts from <c>run.json</c>,
/// renders the report and stores its files beside the checkpoints. Returns the blob name of <c>report.html</c>.
/// </summary>
public sealed class RunReportPublisher(IBlobStore store, PointerStore pointers, AssemblerOptions options)
{
    public async Task<string> PublishAsync(RunDocument run, CancellationToken ct)
    {
        var report = await ReadAsync(run, options.TraceUrl, ct);
        // The file names are the writer's; report.html among them is where BlobLayout.Report points.
        await PutAsync(BlobLayout.ReportFolder(run.RunId), RunReportWriter.Render(report), ct);
        await PutAsync(BlobLayout.TensorBoardFolder(run.RunId), TensorBoardExport.Render(report), ct);
        return BlobLayout.Report(run.RunId);
    }

    /// <summary>The report of a completed run, as stored now; <paramref name="traceUrl"/> links its trace (<c>{traceId}</c>), if given.</summary>
    public async Task<RunReport> ReadAsync(RunDocument run, string? traceUrl, CancellationToken ct)
    {
        var phases = new List<PhaseRecord>();
        foreach (var (phase, state) in run.Phases)
        {
            if (state.Metrics is not { } metrics)
                continue;
            var pointer = (await pointers.TryReadAsync(BlobLayout.Pointer(run.RunId, phase), ct))?.Pointer;
            phases.Add(new PhaseRecord(phase, state.StartedAt, state.CompletedAt, metrics,
                pointer?.Log is { } log ? PhaseRecord.ParseLog(await ReadTextAsync(log, ct)) : [])
            {
                Steps = pointer?.Steps is { } steps ? StepLog.Parse(await ReadTextAsync(steps, ct)) : [],
                Lost = state.Lost,
                Trainer = state.Trainer,
                Attempt = state.Attempt,
            });
        }
        var metadata = RunMetadata.Of(run.Status.ToString(), run.CreatedAt, run.IsFinished ? run.UpdatedAt : null, run.TraceParent, traceUrl);
        return RunReportBuilder.Build(run.RunId, run.Spec, run.Metrics!, phases, metadata);
    }

    private async Task<string> ReadTextAsync(string blob, CancellationToken ct)
    {
        await using var content = await store.GetAsync(blob, ct);
        using var reader = new StreamReader(content.Content);
        return await reader.ReadToEndAsync(ct);
    }

    private async Task PutAsync(string folder, IReadOnlyDictionary<string, byte[]> files, CancellationToken ct)
    {
        foreach (var (name, content) in files)
        {
            using var stream = new MemoryStream(content);
            await store.PutAsync(folder + name, stream, ct);
        }
    }
}
