using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using Microsoft.Extensions.Logging;

namespace CloudAssembly.Orchestration.Trainer;

/// <summary>
/// Claims one rank slot of a phase attempt for this trainer, for the queue consumer and the one-shot trainer alike:
/// only the current attempt of an active run (its newest copy) is claimed, only if no other trainer holds the slot's
/// lease, and what it trains (spec, dataset, inputs, nodes) is rebuilt from <c>run.json</c>, which only the Assembler
/// writes, never taken from the message or the pod's arguments.
/// </summary>
public sealed class AttemptClaims(RunStore runs, LeaseStore leases, TrainerOptions options, TimeProvider time, ILogger<AttemptClaims> log)
{
    /// <summary>The claimed slot, or null when it is not this trainer's to run (the reason is logged).</summary>
    public async Task<ClaimedAttempt?> TryClaimAsync(AttemptArguments attempt, int node, CancellationToken ct)
    {
        var stored = await runs.TryGetAsync(attempt.RunId, ct);
        if (stored is not { Run: var run } || run.IsFinished || run.Phase(attempt.Phase) is not { IsActive: true } phase
            || phase.AttemptId != attempt.AttemptId || phase.Generation > attempt.Generation
            || RunStateMachine.Command(run, attempt.Phase, node) is not { } command)
        {
            log.LogInformation("Dropping {AttemptId} (copy {Generation}): not the current attempt of an active run, or an older copy",
                attempt.AttemptId, attempt.Generation);
            return null;
        }
        if (node < 0 || node >= command.Nodes)
            throw new ArgumentException($"Node {node} of {attempt.AttemptId} does not exist: {attempt.Phase} runs on {command.Nodes} node(s), ranks 0 to {command.Nodes - 1}.");
        var now = time.GetUtcNow();
        var lease = new PhaseLease(command.AttemptId, command.Attempt, options.Name, now, now, Node: node);
        var slot = command.Nodes > 1 ? $" node {node} of {command.Nodes}" : "";
        if (await leases.TryClaimAsync(BlobLayout.Lease(command.RunId, command.Phase, node), lease, ct) is not { } etag)
        {
            log.LogInformation("Dropping {AttemptId}{Node}: another trainer holds it", command.AttemptId, slot);
            return null;
        }
        log.LogInformation("Claimed {AttemptId}{Node}", command.AttemptId, slot);
        return new ClaimedAttempt(command, lease, etag, run.TraceParent);
    }
}
