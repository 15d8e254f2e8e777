using System.Diagnostics;

namespace CloudAssembly.AppHost.Tests;

/// <summary>
/// The README's cluster section done once, as a user does it: the AppHost started, the environment the README gives
/// (on this AppHost's ports), and every cluster command in order in one working folder. A user edits the spec that
/// <c>spec init</c> writes before submitting it; here that edit makes the run a short one (<see cref="TinySpec"/>).
/// </summary>
public sealed class ReadmeRun : IAsyncLifetime
{
    private static readonly string Cli = Path.Combine(Repository.Root, "services", "Cli", "bin", Repository.Configuration, "net10.0", "cloudassembly.dll");

    private AppHostProcess? apphost;

    public AppHostProcess AppHost => apphost!;

    public DirectoryInfo Folder { get; } = Directory.CreateTempSubdirectory("cloudassembly-readme-");

    public Dictionary<string, string> PrintedEnvironment { get; private set; } = [];

    public Dictionary<string, string> ReadmeEnvironment { get; private set; } = [];

    /// <summary>Each command as written, its exit code and what it printed; the run stops at the first that fails.</summary>
    public List<(string Command, int ExitCode, string Output)> Steps { get; } = [];

    public async Task InitializeAsync()
    {
        // A guard against a hung start or run, not a time limit under test.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        apphost = new AppHostProcess(trainers: 2);
        PrintedEnvironment = await apphost.CliEnvironmentAsync(guard.Token);
        ReadmeEnvironment = ReadmeClusterSection.ExportsFor(apphost);
        foreach (var command in ReadmeClusterSection.Commands)
        {
            var (exitCode, output) = await RunAsync(command, guard.Token);
            Steps.Add((command, exitCode, output));
            if (exitCode != 0)
                break;
            if (command.StartsWith("cloudassembly spec init", StringComparison.Ordinal))
                await File.WriteAllTextAsync(Path.Combine(Folder.FullName, OutOption(command)), TinySpec.Json, guard.Token);
        }
    }

    private static string OutOption(string command)
    {
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words[Array.IndexOf(words, "--out") + 1];
    }

    /// <summary>The line in bash, with <c>cloudassembly</c> standing for the built CLI, in the README's environment alone.</summary>
    private async Task<(int ExitCode, string Output)> RunAsync(string command, CancellationToken ct)
    {
        var info = new ProcessStartInfo("bash", ["-c", $"cloudassembly() {{ dotnet '{Cli}' \"$@\"; }}\n{command}"])
        {
            WorkingDirectory = Folder.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var name in new[] { "CLOUDASSEMBLY_BROKER", "CLOUDASSEMBLY_STORE", "OTEL_EXPORTER_OTLP_ENDPOINT", "CLOUDASSEMBLY_DASHBOARD" })
            info.Environment.Remove(name);
        foreach (var (name, value) in ReadmeEnvironment)
            info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await stdout + await stderr);
    }

    public async Task DisposeAsync()
    {
        if (apphost is not null)
            await apphost.DisposeAsync();
        Folder.Delete(recursive: true);
    }
}
