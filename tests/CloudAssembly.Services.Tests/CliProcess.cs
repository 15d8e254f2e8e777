using System.Diagnostics;
using System.Text;

namespace CloudAssembly.Services.Tests;

/// <summary>
/// The <c>cloudassembly</c> CLI as a separate process, started from its build output with its output redirected (so it
/// prints plain lines, as in a CI log). <see cref="Signal"/> sends a real POSIX signal, as a terminal or an
/// orchestrator would.
/// </summary>
public sealed class CliProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly StringBuilder error = new();

    public CliProcess(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = Path.Combine(Repository.Root, "services", "Cli", "bin", Repository.Configuration, "net10.0", "cloudassembly.dll");
        if (!File.Exists(dll))
            throw new FileNotFoundException($"{dll} is not built: build the solution first.");
        var info = new ProcessStartInfo("dotnet", [dll, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;
        process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(error, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output => Read(output);

    public string Error => Read(error);

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        await using var cli = new CliProcess(arguments, environment);
        var code = await cli.ExitAsync();
        return (code, cli.Output, cli.Error);
    }

    /// <summary>Waits for the process to end (a guard against a hang, not a time limit under test) and returns its exit code.</summary>
    public async Task<int> ExitAsync()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(guard.Token);
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Waits until a line of standard output contains <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan patience)
    {
        var waited = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (process.HasExited || waited.Elapsed > patience)
                throw new InvalidOperationException($"cloudassembly never printed '{text}':\n{Output}\n{Error}");
            await Task.Delay(200);
        }
    }

    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString()]);
        kill.WaitForExit();
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is null)
            return;
        lock (text)
            text.AppendLine(line);
    }

    private static string Read(StringBuilder text)
    {
        lock (text)
            return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
