using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace CloudAssembly.Orchestration.Trainer;

/// <summary>
/// Takes a phase command when this trainer has a free slot, claims the attempt's lease and hands the work to the
/// <see cref="PhaseWorker"/>, then acknowledges at once. On several pods each rank slot has its own lease, so each is
/// claimed by exactly one trainer. A trainer that stays busy sends the command back to the queue
/// for another trainer; a command for an attempt that is no longer current, or that someone already claimed, is dropped.
/// </summary>
public sealed class TrainPhaseConsumer(TrainerSlots slots, PhaseWorker worker, RunStore runs, LeaseStore leases,
    TrainerOptions options, TimeProvider time, ILogger<TrainPhaseConsumer> log) : IConsumer<TrainPhase>
{
    public async Task Consume(ConsumeContext<TrainPhase> context)
    {
        var command = context.Message;
        var slot = await slots.TryTakeAsync(context.CancellationToken);
        if (slot is null)
        {
            log.LogDebug("Busy; {Phase} of run {RunId} goes back to the queue", command.Phase, command.RunId);
            await context.Publish(command, context.CancellationToken);
            return;
        }
        try
        {
            var stored = await runs.TryGetAsync(command.RunId, context.CancellationToken);
            if (stored is not { Run: var run } || run.IsFinished || run.Phase(command.Phase) is not { } phase
                || phase.AttemptId != command.AttemptId || phase.Generation > command.Generation)
            {
                log.LogInformation("Dropping {AttemptId} (copy {Generation}): not the current attempt of an active run, or an older copy",
                    command.AttemptId, command.Generation);
                slot.Dispose();
                return;
            }
            var now = time.GetUtcNow();
            var lease = new PhaseLease(command.AttemptId, command.Attempt, options.Name, now, now, Node: command.NodeRank);
            var etag = await leases.TryClaimAsync(BlobLayout.Lease(command.RunId, command.Phase, command.NodeRank), lease, context.CancellationToken);
            if (etag is null)
            {
                log.LogInformation("Dropping {AttemptId}{Node}: another trainer holds it", command.AttemptId, command.Nodes > 1 ? $" node {command.NodeRank}" : "");
                slot.Dispose();
                return;
            }
            log.LogInformation("Claimed {AttemptId}{Node}", command.AttemptId, command.Nodes > 1 ? $" node {command.NodeRank} of {command.Nodes}" : "");
            _ = worker.Start(command, slot, lease, etag, run.TraceParent);
        }
        catch
        {
            slot.Dispose();
            throw;
        }
    }
}
