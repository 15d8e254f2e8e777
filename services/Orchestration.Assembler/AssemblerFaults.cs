namespace CloudAssembly.Orchestration.Assembler;

/// <summary>
/// Fault-injection points, off unless a test sets them (<c>Assembler:Faults:*</c>): exit the process right after
/// storing a state change that has messages to send and before sending them; right after storing that a run
/// finished (before its report is written); or make every assembly fail.
/// </summary>
public sealed record AssemblerFaults
{
    public bool ExitBetweenStoreAndPublish { get; init; }
    public bool ExitAfterFinishing { get; init; }
    public bool FailAssembly { get; init; }
}
