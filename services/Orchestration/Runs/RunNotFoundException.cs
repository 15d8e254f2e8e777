namespace CloudAssembly.Orchestration.Runs;

/// <summary>An event or command named a run that has no <c>run.json</c>: retrying cannot make it apply.</summary>
public sealed class RunNotFoundException(string runId) : InvalidOperationException($"Run '{runId}' does not exist.")
{
    public string RunId => runId;
}
