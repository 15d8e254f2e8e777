using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using MassTransit;

namespace CloudAssembly.Cli.Client;

/// <summary>
/// The Assembler's answer to one <c>SubmitRun</c>: accepted (the run's <c>run.json</c> exists with this spec) or refused
/// (<see cref="RunRejected"/>, or a new refusal recorded in the run's folder). Listening starts before the command is
/// sent, so an answer that comes at once is not missed; the store is polled as well, so an answer sent while nobody
/// listened (or lost with a connection) is still seen.
/// </summary>
public sealed class SubmissionAnswer : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private readonly RunStore runs;
    private readonly string runId;
    private readonly RunSpec spec;
    private readonly string? refusalBefore;
    private readonly TaskCompletionSource<string> rejected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HostReceiveEndpointHandle endpoint;

    private SubmissionAnswer(IBus bus, RunStore runs, string runId, RunSpec spec, string? refusalBefore)
    {
        this.runs = runs;
        this.runId = runId;
        this.spec = spec;
        this.refusalBefore = refusalBefore;
        endpoint = bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition("watch"), KebabCaseEndpointNameFormatter.Instance, e =>
            e.Handler<RunRejected>(c =>
            {
                if (c.Message.RunId == runId)
                    rejected.TrySetResult(c.Message.Reason);
                return Task.CompletedTask;
            }));
    }

    public static async Task<SubmissionAnswer> ListenAsync(IBus bus, RunStore runs, string runId, RunSpec spec, CancellationToken ct)
    {
        var before = await runs.TryGetRefusalAsync(runId, ct);
        var answer = new SubmissionAnswer(bus, runs, runId, spec, before?.ETag);
        await answer.endpoint.Ready.WaitAsync(ct);
        return answer;
    }

    /// <summary>Null when the run was accepted; the reason when it was refused. Throws <see cref="TimeoutException"/> after <paramref name="patience"/>.</summary>
    public async Task<string?> WaitAsync(TimeSpan patience, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + patience;
        while (true)
        {
            if (rejected.Task.IsCompleted)
                return await rejected.Task;
            // Another submitter's run under the same id is not this one: its refusal is on its way.
            if (await runs.TryGetAsync(runId, ct) is { Run: var run } && SpecDifferences.Between(run.Spec, spec).Count == 0)
                return null;
            if (await runs.TryGetRefusalAsync(runId, ct) is { } refusal && refusal.ETag != refusalBefore)
                return refusal.Refusal.Reason;
            if (DateTimeOffset.UtcNow > deadline)
                throw new TimeoutException($"The Assembler did not answer within {patience.TotalSeconds:F0} s; the run stays queued in the broker until it does: " +
                    $"`cloudassembly status --run-id {runId}` tells whether it was accepted.");
            await Task.WhenAny(rejected.Task, Task.Delay(PollInterval, ct));
            ct.ThrowIfCancellationRequested();
        }
    }

    public async ValueTask DisposeAsync() => await endpoint.StopAsync();
}
