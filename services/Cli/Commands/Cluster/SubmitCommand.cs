using System.CommandLine;
using System.Diagnostics;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;

namespace CloudAssembly.Cli.Commands.Cluster;

/// <summary><c>cloudassembly submit</c>: publish <c>SubmitRun</c> to a cluster's broker; the submit span is the root of the run's trace.</summary>
public static class SubmitCommand
{
    public static Command Create()
    {
        var spec = new Option<FileInfo?>("--spec") { Description = "A run spec as JSON (RunSpec); the Fashion-MNIST demo when omitted." };
        var runId = new Option<string?>("--run-id") { Description = "The run's id (default: a new one). Submitting an existing id changes nothing." };
        var watch = new Option<bool>("--watch") { Description = "Follow the run until it ends." };
        var command = new Command("submit", "Submit a run to a cluster (RabbitMQ + blob storage).") { spec, runId, watch, ClusterClient.Broker, ClusterClient.Store, ClusterClient.Container };
        command.SetAction(parse => CommandErrors.Run(ct =>
        {
            var run = RunCommand.Load(parse.GetValue(spec));
            var id = parse.GetValue(runId) ?? RunId.New();
            RunId.Validate(id);
            return SubmitAsync(parse, id, run, parse.GetValue(watch), ct).GetAwaiter().GetResult();
        }));
        return command;
    }

    private static async Task<int> SubmitAsync(ParseResult parse, string id, RunSpec run, bool watch, CancellationToken ct)
    {
        await using var client = await ClusterClient.ConnectAsync(parse, needsBroker: true);
        using (var span = ClusterClient.Submit.StartActivity("submit run", ActivityKind.Producer))
        {
            span?.SetTag("cloudassembly.run_id", id);
            await client.Bus.Publish(new SubmitRun(id, run), ct);
            Console.WriteLine($"submitted run {id}{(span is null ? "" : $" (trace {span.TraceId})")}");
        }
        return watch ? await WatchCommand.WatchAsync(client, id, ct) : 0;
    }
}
