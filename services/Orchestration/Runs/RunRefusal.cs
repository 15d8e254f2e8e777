namespace CloudAssembly.Orchestration.Runs;

/// <summary>
/// Why the Assembler refused a run it never created: <c>runs/{id}/refused.json</c>, so <c>status</c> and <c>list</c>
/// show a refused run even to a submitter who was not listening when <c>RunRejected</c> went out. The latest refusal
/// of an id replaces the one before; a run that exists (<c>run.json</c>) is never refused this way.
/// </summary>
public sealed record RunRefusal(string RunId, string Reason, DateTimeOffset At);
