using System.CommandLine;
using System.Diagnostics;
using CloudAssembly.Cli.Client;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;
using CloudAssembly.Orchestration.Telemetry;

namespace CloudAssembly.Cli.Commands.Cluster;

/// <summary>
/// <c>cloudassembly submit</c>: publish <c>SubmitRun</c> to a cluster's broker and wait for the Assembler's answer; the
/// submit span is the root of the run's trace. Exit codes: 0 accepted, 2 refused here before sending (the spec file,
/// an option), 3 refused by the Assembler (its reason printed), 4 the id exists with this same spec (nothing new
/// submitted), 5 no answer in time; with <c>--watch</c>, the run's outcome once accepted. An id that already exists
/// is never silently reused: the same spec follows the existing run, a different one is refused unless
/// <c>--replace</c> asks to start that (finished) run again from nothing.
/// </summary>
public static class SubmitCommand
{
    private static readonly TimeSpan AnswerPatience = TimeSpan.FromSeconds(60);

    public static Command Create()
    {
        var spec = new Option<FileInfo?>("--spec") { Description = "A run spec as JSON; the Fashion-MNIST demo when omitted. `cloudassembly spec init` writes a commented example." };
        var runId = new Option<string?>("--run-id") { Description = "The run's id (default: a new one)." };
        var watch = new Option<bool>("--watch") { Description = "Follow the run until it ends (Ctrl+C stops watching, not the run)." };
        var replace = new Option<bool>("--replace") { Description = "If the id exists with another spec and has finished, delete that run's blobs and submit this spec under the id." };
        var command = new Command("submit", "Submit a run to a cluster (RabbitMQ + blob storage) and wait for the Assembler to accept or refuse it.")
        {
            spec, runId, watch, replace, ClusterClient.Broker, StoreOptions.Store, StoreOptions.Container,
        };
        command.SetAction(parse =>
        {
            var id = parse.GetValue(runId) ?? RunId.New();
            var stage = SubmitStage.NotSent;
            return CommandErrors.Run(async ct =>
            {
                var run = RunSpecFile.Load(parse.GetValue(spec));
                RunId.Validate(id);
                await using var client = await ClusterClient.ConnectAsync(parse, needsBroker: true);
                if (await client.Runs.TryGetAsync(id, ct) is { Run: var existing } && !await ReplaceAsync(client, existing, run, parse.GetValue(replace), ct))
                {
                    stage = SubmitStage.Accepted;
                    Console.WriteLine($"run {id} already exists ({existing.Status}, submitted {existing.CreatedAt:u}) with this same spec: nothing new was submitted.");
                    return parse.GetValue(watch) ? await WatchCommand.WatchAsync(client, id, ct) : CommandErrors.AlreadyExists;
                }
                await using (var answer = await SubmissionAnswer.ListenAsync(client.Bus, client.Runs, id, run, ct))
                {
                    stage = SubmitStage.Sending;
                    var trace = await PublishAsync(client, id, run, ct);
                    stage = SubmitStage.Sent;
                    string? refusal;
                    try
                    {
                        refusal = await answer.WaitAsync(AnswerPatience, ct);
                    }
                    catch (TimeoutException e)
                    {
                        Console.Error.WriteLine($"error: run {id} was submitted, but: {e.Message}");
                        return CommandErrors.NoAnswer;
                    }
                    if (refusal is not null)
                    {
                        Console.Error.WriteLine($"refused: {refusal}");
                        return CommandErrors.Refused;
                    }
                    stage = SubmitStage.Accepted;
                    Console.WriteLine($"run {id} accepted{trace}");
                }
                return parse.GetValue(watch) ? await WatchCommand.WatchAsync(client, id, ct) : 0;
            }, Interruption.Submitting(id, () => stage));
        });
        return command;
    }

    /// <summary>Whether to submit over an existing run: false for the same spec, true after deleting it when asked to.</summary>
    private static async Task<bool> ReplaceAsync(ClusterClient client, RunDocument existing, RunSpec run, bool replace, CancellationToken ct)
    {
        var differences = SpecDifferences.Between(existing.Spec, run);
        if (differences.Count == 0)
            return false;
        var what = string.Join(", ", differences.Take(5)) + (differences.Count > 5 ? $" and {differences.Count - 5} more" : "");
        if (!replace)
            throw new ArgumentException($"Run '{existing.RunId}' already exists ({existing.Status}) with a different spec ({what}); nothing was submitted: " +
                "choose another --run-id, or add --replace to delete that run and start it again with this spec.");
        if (!existing.IsFinished)
            throw new ArgumentException($"Run '{existing.RunId}' is still {existing.Status}, so it cannot be replaced: " +
                $"`cloudassembly cancel --run-id {existing.RunId}` first, then submit again with --replace.");
        var deleted = 0;
        await foreach (var blob in client.Blobs.ListAsync(BlobLayout.RunFolder(existing.RunId), ct))
        {
            await client.Blobs.DeleteAsync(blob.Name, ct);
            deleted++;
        }
        Console.WriteLine($"replaced run {existing.RunId} ({existing.Status}; {what}): deleted its {deleted} blobs");
        return true;
    }

    /// <summary>Sends the run under its root span; returns where its trace is, as a suffix of the answer line.</summary>
    private static async Task<string> PublishAsync(ClusterClient client, string id, RunSpec run, CancellationToken ct)
    {
        using var span = ClusterClient.Source.StartActivity(CommandSampler.SubmitSpan, ActivityKind.Producer);
        span?.SetTag(CloudAssemblyTelemetry.RunId, id);
        await client.Bus.PublishSubmitAsync(new SubmitRun(id, run), ct);
        Console.WriteLine($"submitted run {id}; waiting for the Assembler's answer");
        return span is null ? "" : ClusterClient.TraceLink(span.TraceId) is { } link ? "; its trace: " + link : $" (trace {span.TraceId})";
    }
}
