using System.Diagnostics;
using CloudAssembly.Contracts;
using CloudAssembly.Data.Images;
using CloudAssembly.Model;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Orchestration.Telemetry;
using CloudAssembly.Training.Engine;
using Microsoft.Extensions.Logging;

namespace CloudAssembly.Orchestration.Trainer;

/// <summary>
/// How an attempt that did not complete ends, as its trainer reports it: <b>preempted</b> (SIGTERM; it goes again and
/// is not counted), <b>stopped</b> (the run was cancelled, or a newer attempt fenced it or took its lease: whoever
/// replaced it reports, so nothing is sent) or <b>failed</b> (<see cref="PhaseFailed"/>, which the run's retry policy,
/// <c>RunStateMachine.RetryOrFail</c>, judges by <see cref="IsRetryable"/>). A preempted or failed attempt reports the time
/// it spent, from when this outcome was made, so the run counts it as lost.
/// </summary>
public sealed class AttemptOutcome(TrainPhase command, string trainer, EventPump events, Activity? span, ILogger log)
{
    private readonly Stopwatch spent = Stopwatch.StartNew();

    /// <summary>
    /// Whether another attempt may cure the failure. A bad spec or argument, a checkpoint of another model, a loss that
    /// went non-finite, a missing file or a corrupt image fail every attempt the same way; anything else (a lost
    /// connection, a full disk, a killed rank) may not.
    /// </summary>
    public static bool IsRetryable(Exception e) => e is not (ArgumentException or CheckpointMismatchException or NonFiniteLossException
        or NotSupportedException or FileNotFoundException or DirectoryNotFoundException or CorruptImageException);

    public async Task PreemptedAsync(PhaseFolderSync? sync, bool graceful, TimeSpan grace)
    {
        var reason = PreemptionReason(sync, graceful);
        log.LogWarning("Run {RunId} {Phase}: preempted; {Reason}", command.RunId, command.Phase, reason);
        span?.SetTag(CloudAssemblyTelemetry.Reason, $"preempted: {reason}");
        CountLost();
        using var within = new CancellationTokenSource(grace);
        await events.SendAsync(new PhasePreempted(command.RunId, command.Phase, command.AttemptId, reason, Seconds, Seconds), within.Token);
    }

    public void Stopped(string reason)
    {
        log.LogWarning("Run {RunId} {Phase} attempt {Attempt} stopped without writing further: {Reason}", command.RunId, command.Phase,
            command.Attempt, reason);
        span?.SetTag(CloudAssemblyTelemetry.Reason, $"stopped: {reason}");
    }

    public async Task FailedAsync(Exception e)
    {
        var who = command.Nodes > 1 ? $"node {command.NodeRank} of {command.Nodes} (trainer '{trainer}'): " : "";
        log.LogError(e, "Run {RunId} {Phase} attempt {Attempt} failed", command.RunId, command.Phase, command.Attempt);
        span?.SetStatus(ActivityStatusCode.Error, e.Message);
        span?.SetTag(CloudAssemblyTelemetry.Reason, e.Message);
        CountLost();
        await events.SendAsync(new PhaseFailed(command.RunId, command.Phase, command.AttemptId, who + AttemptFailureReason.For(e, trainer), IsRetryable(e),
            Seconds, Seconds),
            CancellationToken.None);
    }

    /// <summary>The attempt's wall time so far, which is also its device time: one trainer slot holds one device set.</summary>
    private double Seconds => spent.Elapsed.TotalSeconds;

    private void CountLost() => CloudAssemblyTelemetry.DeviceSeconds.Add(Seconds, CloudAssemblyTelemetry.OfRun(command.RunId));

    /// <summary>What a preemption costs the phase, as <see cref="PhasePreempted"/> tells it.</summary>
    private string PreemptionReason(PhaseFolderSync? sync, bool graceful) =>
        $"trainer '{trainer}' was stopped (SIGTERM) during attempt {command.Attempt}; " + (graceful
            ? sync?.UploadedWithin is { } within
                ? $"it stopped after step {within.Step} of epoch {within.Epoch} and uploaded a checkpoint there: the phase resumes at step {within.Step + 1}, nothing is redone"
                : sync?.LastUploadedEpoch is { } done
                    ? $"it stopped at the end of epoch {done}, whose checkpoint is uploaded: nothing is redone"
                    : "it stopped before training a step: nothing is redone"
            : "the steps since " + (sync?.LastUploadedEpoch is { } epoch ? $"epoch {epoch}'s checkpoint" : "the phase's last checkpoint") + " are redone");
}
