using CloudAssembly.Contracts;

namespace CloudAssembly.Orchestration.Runs;

/// <summary>
/// A run's durable state, <c>runs/{id}/run.json</c>: created once on submit, changed only by compare-and-swap on its
/// ETag, so any service can die at any moment and the run continues from here. Phases are keyed by their
/// <see cref="PhaseKey"/> (written as its text: PT, MT_0, ..., FT, Eval, E2E).
/// </summary>
public sealed record RunDocument
{
    public required string RunId { get; init; }
    public required RunSpec Spec { get; init; }
    public RunStatus Status { get; init; } = RunStatus.PreparingData;
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DatasetRef? Dataset { get; init; }
    public bool DatasetRequested { get; init; }

    /// <summary>How often the dataset was asked for; the build's lease (<c>runs/{id}/dataset/lease-0.json</c>) carries it.</summary>
    public int DatasetGeneration { get; init; }
    public string? AssembledModel { get; init; }
    public IReadOnlyDictionary<PhaseKey, PhaseState> Phases { get; init; } = new Dictionary<PhaseKey, PhaseState>();
    public RunMetrics? Metrics { get; init; }
    public string? Error { get; init; }

    /// <summary>Messages this document's last changes decided, stored with them and cleared once sent (the outbox).</summary>
    public IReadOnlyList<OutboxMessage> Outbox { get; init; } = [];

    /// <summary>How often assembling the modules failed; the run fails after <see cref="RunStateMachine.MaxAttempts"/>.</summary>
    public int AssemblyFailures { get; init; }

    /// <summary>How often the Assembler failed handling this run (a corrupt input, a failing publish), and the last error.</summary>
    public int Faults { get; init; }
    public string? LastFault { get; init; }

    /// <summary>The broker user that submitted the run (null when its message carried none): only it, or an operator, may cancel or replace it.</summary>
    public string? Owner { get; init; }

    /// <summary>The W3C trace context of the submit span, so later work (a re-dispatch) joins the run's trace.</summary>
    public string? TraceParent { get; init; }

    public bool IsFinished => Status is RunStatus.Completed or RunStatus.Failed or RunStatus.Cancelled;

    public PhaseState Phase(PhaseKey key) => Phases.TryGetValue(key, out var state) ? state : new PhaseState();

    public RunDocument WithPhase(PhaseKey key, PhaseState state) =>
        this with { Phases = new Dictionary<PhaseKey, PhaseState>(Phases) { [key] = state } };
}
