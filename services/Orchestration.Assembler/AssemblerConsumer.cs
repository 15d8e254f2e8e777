using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Assembler.Launching;
using CloudAssembly.Orchestration.Messaging;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Orchestration.Telemetry;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace CloudAssembly.Orchestration.Assembler;

/// <summary>
/// The Assembler's queue: every command and event that moves a run, each handed to the <see cref="RunCoordinator"/>.
/// One that names a run with no <c>run.json</c> (a mistyped cancel, an event of a deleted run) can never apply: it is
/// dropped at once rather than retried for minutes while every other run's events wait behind it. Authority is judged
/// by the sender RabbitMQ validated (<see cref="BrokerUser"/>): a cancel only from the run's owner or an operator;
/// dataset and phase events only from the service users (<see cref="AssemblerOptions.ServiceUsers"/>); a completion
/// only for the checkpoint the phase's own pointer published. Anything else is dropped with a warning, and
/// <c>run.json</c> is not touched.
/// </summary>
public sealed class AssemblerConsumer(RunCoordinator coordinator, PlacementWatch placements, PointerStore pointers, AssemblerOptions options,
    TimeProvider time, ILogger<AssemblerConsumer> log) :
    IConsumer<SubmitRun>, IConsumer<CancelRun>, IConsumer<DatasetReady>, IConsumer<DatasetFailed>,
    IConsumer<PhaseStarted>, IConsumer<PhaseCompleted>, IConsumer<PhaseFailed>, IConsumer<PhasePreempted>
{
    public Task Consume(ConsumeContext<SubmitRun> context) =>
        coordinator.SubmitAsync(context.Message, BrokerUser.Of(context), RunTraceRoot.Of(context), context, context.CancellationToken);

    public async Task Consume(ConsumeContext<CancelRun> context)
    {
        var sender = BrokerUser.Of(context);
        await Apply(context, context.Message.RunId, run =>
        {
            if (coordinator.MayChange(run, sender))
                return RunStateMachine.OnCancel(run, context.Message);
            log.LogWarning("Cancel of run {RunId} by broker user '{Sender}' refused: the run belongs to '{Owner}'", run.RunId, sender, run.Owner);
            return null;
        });
    }

    public Task Consume(ConsumeContext<DatasetReady> context) =>
        FromService(context, context.Message.RunId, run => RunStateMachine.OnDatasetReady(run, context.Message));

    public Task Consume(ConsumeContext<DatasetFailed> context) =>
        FromService(context, context.Message.RunId, run => RunStateMachine.OnDatasetFailed(run, context.Message));

    public Task Consume(ConsumeContext<PhaseStarted> context) =>
        FromService(context, context.Message.RunId, run => RunStateMachine.OnPhaseStarted(run, context.Message));

    public async Task Consume(ConsumeContext<PhaseCompleted> context)
    {
        var completed = context.Message;
        // The checkpoint must be the one the phase's pointer published (only a lease holder can publish there).
        var published = await pointers.TryReadAsync(BlobLayout.Pointer(completed.RunId, completed.Phase), context.CancellationToken);
        if (published?.Pointer.Finished != completed.Checkpoint)
        {
            log.LogWarning("{Phase} completion of run {RunId} names checkpoint {Checkpoint}, which its pointer never published; dropped",
                completed.Phase, completed.RunId, completed.Checkpoint);
            return;
        }
        await FromService(context, completed.RunId, run => RunStateMachine.OnPhaseCompleted(run, completed, time.GetUtcNow()));
    }

    public Task Consume(ConsumeContext<PhaseFailed> context) =>
        FromService(context, context.Message.RunId, run => RunStateMachine.OnPhaseFailed(run, context.Message));

    public async Task Consume(ConsumeContext<PhasePreempted> context)
    {
        var preempted = context.Message;
        var failedJob = await placements.FailedJobAsync(preempted, context.CancellationToken);
        await FromService(context, preempted.RunId, run => failedJob is null ? RunStateMachine.OnPhasePreempted(run, preempted)
            : RunStateMachine.OnPhaseFailed(run, PlacementWatch.PodFailed(run.Phase(preempted.Phase), failedJob, preempted.WallSeconds, preempted.DeviceSeconds)));
    }

    /// <summary>An event only the services send: applied when its sender is one of them.</summary>
    private Task FromService(ConsumeContext context, string runId, Func<RunDocument, RunDocument?> change)
    {
        var sender = BrokerUser.Of(context);
        if (options.ServiceUsers.Count == 0 || (sender is not null && options.ServiceUsers.Contains(sender)))
            return Apply(context, runId, change);
        log.LogWarning("{Message} for run {RunId} from broker user '{Sender}' dropped: only {Services} send service events",
            context.SupportedMessageTypes.FirstOrDefault(), runId, sender ?? "(none)", string.Join(", ", options.ServiceUsers));
        return Task.CompletedTask;
    }

    private async Task Apply(ConsumeContext context, string runId, Func<RunDocument, RunDocument?> change)
    {
        try
        {
            await coordinator.ApplyAsync(runId, change, context, context.CancellationToken);
        }
        catch (RunNotFoundException e)
        {
            log.LogWarning("{Message} dropped: run '{RunId}' does not exist", context.SupportedMessageTypes.FirstOrDefault(), e.RunId);
        }
    }
}
