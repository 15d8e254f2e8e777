using System.Diagnostics;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Assembler.Launching;
using CloudAssembly.Orchestration.Runs;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace CloudAssembly.Orchestration.Assembler;

/// <summary>
/// Applies one event to a run: change <c>run.json</c> by compare-and-swap (the change and <see cref="RunStateMachine.Advance"/>
/// together), storing the messages the new state decides — commands, the run's outcome when it just finished — in the
/// same write (the outbox); then send them and clear them, and assemble the modules when they are all done. A crash
/// between storing and sending loses nothing: whoever next touches the run (an event, the watchdog, a restart) sends
/// what is still in the outbox. Storing first means no trainer ever sees a command the run does not know about.
/// </summary>
public sealed class RunCoordinator(RunStore runs, ModelAssemblyService assembly, RunReportPublisher reports, IAttemptLauncher launcher,
    AssemblerOptions options, DataSources sources, TimeProvider time, ILogger<RunCoordinator> log)
{
    public RunStore Runs => runs;

    public IAttemptLauncher Launcher => launcher;

    /// <summary>Creates the run, owned by <paramref name="owner"/> (the broker user that sent it), or answers why not.</summary>
    public async Task SubmitAsync(SubmitRun submit, string? owner, string? traceParent, IPublishEndpoint publish, CancellationToken ct)
    {
        try
        {
            RunSpecRules.Validate(submit, sources);
        }
        catch (ArgumentException e)
        {
            await RejectAsync(submit.RunId, e.Message, record: RunId.IsValid(submit.RunId), publish, ct);
            return;
        }
        var created = await runs.TryCreateAsync(RunStateMachine.Create(submit, time.GetUtcNow(), traceParent, owner), ct);
        if (!created && await runs.TryGetAsync(submit.RunId, ct) is { Run: var existing })
        {
            var refusal = !MayChange(existing, owner)
                ? $"Run '{submit.RunId}' belongs to broker user '{existing.Owner}'; nothing was submitted: choose another run id."
                : SpecDifferences.Between(existing.Spec, submit.Spec).Count > 0
                    ? $"Run '{submit.RunId}' already exists ({existing.Status}) with a different spec; nothing was submitted: " +
                      "choose another run id, or replace the run once it has finished."
                    : null;
            if (refusal is not null)
            {
                await RejectAsync(submit.RunId, refusal, record: false, publish, ct);
                return;
            }
        }
        log.LogInformation(created ? "Run {RunId} submitted" : "Run {RunId} was already submitted", submit.RunId);
        await ApplyAsync(submit.RunId, run => run.DatasetRequested ? null : run, publish, ct);
    }

    /// <summary>
    /// Whether broker user <paramref name="sender"/> may cancel or replace <paramref name="run"/>: its owner, an operator,
    /// or anyone when the run has no proven owner (submitted on a bus that does not stamp users, as the embedded run's).
    /// </summary>
    public bool MayChange(RunDocument run, string? sender) =>
        run.Owner is null || sender == run.Owner || (sender is not null && options.Operators.Contains(sender));

    /// <summary>
    /// Answers a refused submission with <see cref="RunRejected"/> and, for a run that does not exist, records why in its
    /// folder, so the submitter sees the reason even if it was not listening.
    /// </summary>
    private async Task RejectAsync(string runId, string reason, bool record, IPublishEndpoint publish, CancellationToken ct)
    {
        log.LogWarning("Run {RunId} rejected: {Reason}", runId, reason);
        if (record && await runs.TryGetAsync(runId, ct) is null)
            await runs.RecordRefusalAsync(new RunRefusal(runId, reason, time.GetUtcNow()), ct);
        await publish.Publish(new RunRejected(runId, reason), ct);
    }

    /// <summary>Applies <paramref name="change"/> (null: the event changes nothing) and carries out what follows from it.</summary>
    public async Task ApplyAsync(string runId, Func<RunDocument, RunDocument?> change, IPublishEndpoint publish, CancellationToken ct)
    {
        var assemble = false;
        var finishedNow = false;
        var (run, changed) = await runs.UpdateAsync(runId, current =>
        {
            if (RunStateMachine.Apply(current, change, time.GetUtcNow()) is not { } applied)
                return null;
            assemble = applied.Assemble;
            finishedNow = applied.Run.IsFinished && !current.IsFinished;
            return applied.Run with { Outbox = [.. applied.Run.Outbox, .. applied.Messages.Select(OutboxMessage.From)] };
        }, ct);
        if (changed && run.Outbox.Count > 0 && options.Faults.ExitBetweenStoreAndPublish)
        {
            log.LogCritical("Fault injection: killing the Assembler between storing run {RunId} and sending {Count} message(s)", runId, run.Outbox.Count);
            Process.GetCurrentProcess().Kill();
        }
        if (finishedNow && options.Faults.ExitAfterFinishing)
        {
            log.LogCritical("Fault injection: killing the Assembler right after storing that run {RunId} finished", runId);
            Process.GetCurrentProcess().Kill();
        }
        if (finishedNow && run.Status == RunStatus.Completed)
            await TryReportAsync(run, ct);
        await SendOutboxAsync(run, publish, ct);
        if (finishedNow)
        {
            log.LogInformation("Run {RunId} {Status}{Error}", runId, run.Status, run.Error is null ? "" : $": {run.Error}");
            RunOutcomeSpan.Record(run);
        }
        if (assemble)
            await AssembleAsync(run, publish, ct);
    }

    /// <summary>
    /// Writes a completed run's report if it is missing: the Assembler that stored the run's end may have died before
    /// writing it. The watchdog calls this before it lets go of a finished run.
    /// </summary>
    public async Task EnsureReportAsync(RunDocument run, CancellationToken ct)
    {
        if (run.Status == RunStatus.Completed && await runs.Blobs.TryGetPropertiesAsync(BlobLayout.Report(run.RunId), ct) is null)
        {
            log.LogWarning("Run {RunId} completed without its report (the Assembler stopped right after); writing it now", run.RunId);
            await TryReportAsync(run, ct);
        }
    }

    private async Task TryReportAsync(RunDocument run, CancellationToken ct)
    {
        // The model is trained and stored either way: a report that cannot be written must not hold back the outcome.
        try
        {
            await reports.PublishAsync(run, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Run {RunId}: the report could not be written", run.RunId);
        }
    }

    /// <summary>
    /// Sends what the run's outbox holds, phase attempts through the launcher (all rank slots of one attempt together),
    /// then clears exactly those messages (sending twice is harmless; losing one is not). An attempt the cluster refuses
    /// for good fails, with the cluster's reason.
    /// </summary>
    public async Task SendOutboxAsync(RunDocument run, IPublishEndpoint publish, CancellationToken ct)
    {
        if (run.Outbox.Count == 0)
            return;
        var messages = run.Outbox.Select(m => m.ToMessage()).ToList();
        var launched = new HashSet<(string, int)>();
        var refused = new List<PhaseFailed>();
        foreach (var message in messages)
        {
            if (message is not TrainPhase command)
                await publish.Publish(message, message.GetType(), ct);
            else if (launched.Add((command.AttemptId, command.Generation)))
                try
                {
                    await launcher.LaunchAsync([.. messages.OfType<TrainPhase>().Where(c => (c.AttemptId, c.Generation) == (command.AttemptId, command.Generation))],
                        publish, ct);
                }
                catch (AttemptRefusedException e)
                {
                    log.LogError("Run {RunId}: {Reason}", run.RunId, e.Message);
                    refused.Add(new PhaseFailed(run.RunId, command.Phase, command.AttemptId, e.Message, Retryable: false));
                }
        }
        var sent = run.Outbox.Select(m => m.Id).ToHashSet();
        await runs.UpdateAsync(run.RunId, r => r.Outbox.Any(m => sent.Contains(m.Id)) ? r with { Outbox = [.. r.Outbox.Where(m => !sent.Contains(m.Id))] } : null, ct);
        foreach (var failed in refused)
            await ApplyAsync(run.RunId, r => RunStateMachine.OnPhaseFailed(r, failed), publish, ct);
    }

    /// <summary>Carries out whatever the stored state asks for without an event (after a crash between storing and sending).</summary>
    public Task ReconcileAsync(string runId, IPublishEndpoint publish, CancellationToken ct) =>
        ApplyAsync(runId, run =>
        {
            var (_, messages, assemble) = RunStateMachine.Advance(run, time.GetUtcNow());
            return messages.Count > 0 || assemble ? run : null;
        }, publish, ct);

    private async Task AssembleAsync(RunDocument run, IPublishEndpoint publish, CancellationToken ct)
    {
        string model;
        try
        {
            model = await assembly.AssembleAsync(run, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Run {RunId}: assembling the modules failed", run.RunId);
            await ApplyAsync(run.RunId, r => RunStateMachine.OnAssemblyFailed(r, e.Message), publish, ct);
            return;
        }
        await ApplyAsync(run.RunId, r => RunStateMachine.OnAssembled(r, model), publish, ct);
    }
}
