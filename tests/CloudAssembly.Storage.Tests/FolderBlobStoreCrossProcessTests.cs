using System.Diagnostics;
using CloudAssembly.Storage;
using Xunit.Abstractions;

namespace CloudAssembly.Storage.Tests;

/// <summary>
/// Separate processes (this assembly run through <see cref="Program"/>) race on one folder store: the lock must hold
/// across processes, not only across threads of one.
/// </summary>
public sealed class FolderBlobStoreCrossProcessTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("folder-race-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Compare_and_swap_increments_from_several_processes_and_threads_end_with_the_exact_count()
    {
        const int Processes = 3, Threads = 3, Each = 25;
        var store = new FolderBlobStore(_root);
        await store.PutIfAbsentAsync("counter", CasCounter.Text("0"));

        var (codes, outputs) = await RaceAsync(Enumerable.Repeat(new[] { "increment", _root, "counter", $"{Each}" }, Processes),
            Enumerable.Range(0, Threads).Select(_ => (Func<Task>)(() => CasCounter.IncrementAsync(new FolderBlobStore(_root), "counter", Each))));

        Assert.All(codes, code => Assert.Equal(Program.Won, code));
        foreach (var line in outputs) output.WriteLine(line);
        Assert.Equal((Processes + Threads) * Each, (await CasCounter.ReadAsync(store, "counter")).Value);
    }

    [Fact]
    public async Task Create_only_from_several_processes_has_exactly_one_winner()
    {
        const int Processes = 4;
        var (codes, _) = await RaceAsync(Enumerable.Range(0, Processes).Select(i => new[] { "create", _root, "final/manifest.json", $"writer {i}" }), []);

        Assert.Single(codes, Program.Won);
        Assert.Equal(Processes - 1, codes.Count(code => code == Program.LostCreateRace));
        var winner = Array.IndexOf(codes, Program.Won);
        Assert.Equal($"writer {winner}", await File.ReadAllTextAsync(Path.Combine(_root, "final", "manifest.json")));
    }

    /// <summary>Starts every process, waits until all say "ready", then releases them and the in-process writers together.</summary>
    private static async Task<(int[] ExitCodes, string[] Outputs)> RaceAsync(IEnumerable<string[]> processArguments, IEnumerable<Func<Task>> threads)
    {
        var processes = processArguments.Select(Start).ToArray();
        try
        {
            foreach (var process in processes)
            {
                var line = await process.StandardOutput.ReadLineAsync();
                if (line != "ready") Assert.Fail($"A writer process said '{line}' instead of 'ready': {await process.StandardError.ReadToEndAsync()}");
            }
            foreach (var process in processes) await process.StandardInput.WriteLineAsync("go");
            await Task.WhenAll(threads.Select(Task.Run));
            var outputs = await Task.WhenAll(processes.Select(p => p.StandardOutput.ReadToEndAsync()));
            foreach (var process in processes) await process.WaitForExitAsync();
            return (processes.Select(p => p.ExitCode).ToArray(), outputs);
        }
        finally
        {
            foreach (var process in processes)
            {
                if (!process.HasExited) process.Kill();
                process.Dispose();
            }
        }
    }

    private static Process Start(string[] arguments)
    {
        // DOTNET_HOST_PATH is set by the dotnet CLI for the processes it starts, test hosts included.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return Process.Start(start) ?? throw new InvalidOperationException("Could not start a writer process.");
    }
}
