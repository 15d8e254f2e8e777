using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace CloudAssembly.Orchestration.Assembler;

/// <summary>
/// Applies one event to a run: change <c>run.json</c> by compare-and-swap (the change and <see cref="RunStateMachine.Advance"/>
/// together), then send what the stored state asks for — commands, the run's outcome when it just finished — and
/// assemble the modules when they are all done. Sending after storing means a crash in between loses a dispatch, which
/// the watchdog re-sends; storing first means no trainer ever sees a command the run does not know about.
/// </summary>
public sealed class RunCoordinator(RunStore runs, ModelAssemblyService assembly, ILogger<RunCoordinator> log)
{
    public RunStore Runs => runs;

    public async Task SubmitAsync(SubmitRun submit, string? traceParent, IPublishEndpoint publish, CancellationToken ct)
    {
        var created = await runs.TryCreateAsync(RunStateMachine.Create(submit, DateTimeOffset.UtcNow, traceParent), ct);
        log.LogInformation(created ? "Run {RunId} submitted" : "Run {RunId} was already submitted", submit.RunId);
        await ApplyAsync(submit.RunId, run => run.DatasetRequested ? null : run, publish, ct);
    }

    /// <summary>Applies <paramref name="change"/> (null: the event changes nothing) and carries out what follows from it.</summary>
    public async Task ApplyAsync(string runId, Func<RunDocument, RunDocument?> change, IPublishEndpoint publish, CancellationToken ct)
    {
        IReadOnlyList<object> messages = [];
        var assemble = false;
        var finishedNow = false;
        var (run, changed) = await runs.UpdateAsync(runId, current =>
        {
            var next = change(current);
            if (next is null)
                return null;
            (next, messages, assemble) = RunStateMachine.Advance(next, DateTimeOffset.UtcNow);
            finishedNow = next.IsFinished && !current.IsFinished;
            return next;
        }, ct);
        if (!changed)
            return;
        foreach (var message in messages)
            await publish.Publish(message, message.GetType(), ct);
        if (finishedNow && RunStateMachine.Outcome(run) is { } outcome)
        {
            log.LogInformation("Run {RunId} {Status}{Error}", runId, run.Status, run.Error is null ? "" : $": {run.Error}");
            RunOutcomeSpan.Record(run);
            await publish.Publish(outcome, outcome.GetType(), ct);
        }
        if (assemble)
        {
            var model = await assembly.AssembleAsync(run, ct);
            await ApplyAsync(runId, r => RunStateMachine.OnAssembled(r, model), publish, ct);
        }
    }

    /// <summary>Carries out whatever the stored state asks for without an event (after a crash between storing and sending).</summary>
    public Task ReconcileAsync(string runId, IPublishEndpoint publish, CancellationToken ct) =>
        ApplyAsync(runId, run =>
        {
            var (_, messages, assemble) = RunStateMachine.Advance(run, DateTimeOffset.UtcNow);
            return messages.Count > 0 || assemble ? run : null;
        }, publish, ct);
}
