using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace CloudAssembly.Orchestration.Trainer;

/// <summary>
/// Takes a phase command when this trainer has a free slot, claims the attempt's lease (<see cref="AttemptClaims"/>) and
/// hands the work to the <see cref="PhaseWorker"/>, then acknowledges at once. On several pods each rank slot has its
/// own lease, so each is claimed by exactly one trainer. A trainer that stays busy sends the command back to the queue
/// for another trainer; a command for an attempt that is no longer current, or that someone already claimed, is dropped.
/// The command only names the attempt: what it trains comes from <c>run.json</c>.
/// </summary>
public sealed class TrainPhaseConsumer(TrainerSlots slots, PhaseWorker worker, AttemptClaims claims, ILogger<TrainPhaseConsumer> log) : IConsumer<TrainPhase>
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
            var attempt = new AttemptArguments(command.RunId, command.Phase, command.AttemptId, command.Generation);
            if (await claims.TryClaimAsync(attempt, command.NodeRank, context.CancellationToken) is not { } claimed)
            {
                slot.Dispose();
                return;
            }
            _ = worker.Start(claimed.Command, slot, claimed.Lease, claimed.ETag, claimed.TraceParent);
        }
        catch
        {
            slot.Dispose();
            throw;
        }
    }
}
