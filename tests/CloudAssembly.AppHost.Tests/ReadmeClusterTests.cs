using Xunit.Abstractions;

namespace CloudAssembly.AppHost.Tests;

/// <summary>
/// The README's cluster section, run as written against the AppHost (<see cref="ReadmeRun"/>), and the trace of the
/// run it submits as the dashboard shows it: a README that drifts from the AppHost, or a trace whose story sinks under
/// messaging spans, fails here.
/// </summary>
public sealed class ReadmeClusterTests(ReadmeRun readme, ITestOutputHelper output) : IClassFixture<ReadmeRun>
{
    private static readonly string[] Story = ["prepare dataset", "phase PT", "phase MT_0", "phase MT_1", "phase MT_2", "phase MT_3",
        "assemble modules", "phase FT", "phase Eval", "run completed"];

    [Fact]
    public void The_readme_cluster_commands_work_as_written_against_the_apphost()
    {
        Describe();
        Assert.Equal(readme.PrintedEnvironment, readme.ReadmeEnvironment);
        Assert.Equal(ReadmeClusterSection.Commands, readme.Steps.Select(s => s.Command));
        Assert.All(readme.Steps, s => Assert.True(s.ExitCode == 0, $"`{s.Command}` exited with {s.ExitCode}:\n{s.Output}"));
        // A command's comment names the file it leaves ("# → ./runs/first/report/report.html"): it is there.
        foreach (var (command, _, _) in readme.Steps.Where(s => s.Command.Contains("→ ", StringComparison.Ordinal)))
            Assert.True(File.Exists(Path.Combine(readme.Folder.FullName, command.Split("→ ")[1].Trim())), $"`{command}` left no such file.");
    }

    [Fact]
    public async Task The_dashboard_shows_the_runs_story_as_children_of_the_submit_span_without_orphans_errors_or_transfer_spans()
    {
        Describe();
        var submitted = readme.Steps.Single(s => s.Command.StartsWith("cloudassembly submit", StringComparison.Ordinal));
        Assert.True(submitted.ExitCode == 0, submitted.Output);
        var link = submitted.Output.Split('\n').Select(l => l.Split("its trace: ")).Single(parts => parts.Length == 2)[1].Trim();
        var traceId = link.Split('/')[^1];

        using var http = new HttpClient();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        IReadOnlyList<DashboardSpan> trace;
        // The services export in batches: read until every step of the story has arrived (the guard ends a wait that never does).
        while (!Story.All((trace = await DashboardTrace.ReadAsync(http, readme.AppHost.Dashboard, traceId, guard.Token)).Select(s => s.Name).Contains))
            await Task.Delay(TimeSpan.FromSeconds(2), guard.Token);
        foreach (var span in trace)
            output.WriteLine($"{span.Name,-60} {span.SpanId} ← {span.ParentSpanId}{(span.IsError ? " ERROR" : "")}");

        var root = Assert.Single(trace, s => trace.All(p => p.SpanId != s.ParentSpanId));
        Assert.Equal("submit run", root.Name);
        var steps = Story.Select(name => Assert.Single(trace, s => s.Name == name)).ToList();
        Assert.All(steps, s => Assert.Equal(root.SpanId, s.ParentSpanId));
        Assert.All(steps.Where(s => s.Name.StartsWith("phase ", StringComparison.Ordinal)), s =>
            Assert.Contains(s.Links, l => trace.Any(m => m.SpanId == l)));
        Assert.DoesNotContain(trace, s => s.IsError);
        Assert.DoesNotContain(trace, s => s.Name.StartsWith("checkpoint ", StringComparison.Ordinal));
    }

    private void Describe()
    {
        foreach (var (command, exitCode, text) in readme.Steps)
            output.WriteLine($"$ {command}  (exit {exitCode})\n{text}");
    }
}
