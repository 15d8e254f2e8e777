using System.Text.Json.Serialization;
using CloudAssembly.Contracts;

namespace CloudAssembly.Orchestration.Runs;

/// <summary>One job of a run as <c>run.json</c> records it: its status, which attempt is current, who runs it, what it produced.</summary>
public sealed record PhaseState
{
    public PhaseStatus Status { get; init; } = PhaseStatus.Pending;
    public int Attempt { get; init; }

    /// <summary>Attempts that ended preempted; they do not count against <see cref="RunStateMachine.MaxAttempts"/>.</summary>
    public int Preemptions { get; init; }

    /// <summary>Attempts that count against the limit.</summary>
    [JsonIgnore]
    public int CountedAttempts => Attempt - Preemptions;
    public string? AttemptId { get; init; }

    /// <summary>How often the current attempt was sent; only the newest copy of its command is run.</summary>
    public int Generation { get; init; }
    public DateTimeOffset? DispatchedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public string? Trainer { get; init; }
    public string? Checkpoint { get; init; }
    public PhaseMetrics? Metrics { get; init; }
    public string? Error { get; init; }

    /// <summary>Why the current attempt's pods have not started, as the cluster says it (Kueue: waiting for admission, and why).</summary>
    public string? Waiting { get; init; }

    /// <summary>Attempts that ended without finishing the phase, oldest first; their cost joins the phase's when it completes.</summary>
    public IReadOnlyList<LostAttempt> Lost { get; init; } = [];

    public bool IsActive => Status is PhaseStatus.Dispatched or PhaseStatus.Running;
}
