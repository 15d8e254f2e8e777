using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Orchestration.Telemetry;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace CloudAssembly.Orchestration.Assembler;

/// <summary>
/// The Assembler's queue: every command and event that moves a run, each handed to the <see cref="RunCoordinator"/>.
/// One that names a run with no <c>run.json</c> (a mistyped cancel, an event of a deleted run) can never apply: it is
/// dropped at once rather than retried for minutes while every other run's events wait behind it.
/// </summary>
public sealed class AssemblerConsumer(RunCoordinator coordinator, TimeProvider time, ILogger<AssemblerConsumer> log) :
    IConsumer<SubmitRun>, IConsumer<CancelRun>, IConsumer<DatasetReady>, IConsumer<DatasetFailed>,
    IConsumer<PhaseStarted>, IConsumer<PhaseCompleted>, IConsumer<PhaseFailed>, IConsumer<PhasePreempted>
{
    public Task Consume(ConsumeContext<SubmitRun> context) =>
        coordinator.SubmitAsync(context.Message, RunTraceRoot.Of(context), context, context.CancellationToken);

    public Task Consume(ConsumeContext<CancelRun> context) =>
        Apply(context, context.Message.RunId, run => RunStateMachine.OnCancel(run, context.Message));

    public Task Consume(ConsumeContext<DatasetReady> context) =>
        Apply(context, context.Message.RunId, run => RunStateMachine.OnDatasetReady(run, context.Message));

    public Task Consume(ConsumeContext<DatasetFailed> context) =>
        Apply(context, context.Message.RunId, run => RunStateMachine.OnDatasetFailed(run, context.Message));

    public Task Consume(ConsumeContext<PhaseStarted> context) =>
        Apply(context, context.Message.RunId, run => RunStateMachine.OnPhaseStarted(run, context.Message));

    public Task Consume(ConsumeContext<PhaseCompleted> context) =>
        Apply(context, context.Message.RunId, run => RunStateMachine.OnPhaseCompleted(run, context.Message, time.GetUtcNow()));

    public Task Consume(ConsumeContext<PhaseFailed> context) =>
        Apply(context, context.Message.RunId, run => RunStateMachine.OnPhaseFailed(run, context.Message));

    public Task Consume(ConsumeContext<PhasePreempted> context) =>
        Apply(context, context.Message.RunId, run => RunStateMachine.OnPhasePreempted(run, context.Message));

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
