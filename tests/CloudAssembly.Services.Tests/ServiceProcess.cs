using System.Diagnostics;
using System.Text;

namespace CloudAssembly.Services.Tests;

/// <summary>
/// One service (Assembler, Trainer, DataPrep) as a separate OS process, started from its build output with its
/// configuration in environment variables, as a container would start it. <see cref="Kill"/> is a SIGKILL: no
/// shutdown code runs, exactly like a node that disappears.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(string service, string name, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string>? args = null)
    {
        Name = name;
        var dll = Path.Combine(Repository.Root, "services", service, "bin", Repository.Configuration, "net10.0", $"CloudAssembly.{service}.dll");
        if (!File.Exists(dll))
            throw new FileNotFoundException($"{dll} is not built: build the solution first.");
        var info = new ProcessStartInfo("dotnet", [dll, .. args ?? ["--urls", "http://127.0.0.1:0"]])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        info.Environment["Logging__Console__FormatterName"] = "simple";
        info.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Exited += (_, _) => started.TrySetException(new InvalidOperationException($"{Name} exited with {process.ExitCode}:\n{Log}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public string Log
    {
        get
        {
            lock (output)
                return output.ToString();
        }
    }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>Starts a process that runs one job and exits (a one-shot trainer with <paramref name="args"/>), without waiting for it.</summary>
    public static ServiceProcess Launch(string service, string name, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> args) =>
        new(service, name, environment, args);

    public Task Exited => process.WaitForExitAsync();

    /// <summary>Starts the service and waits until its bus is connected.</summary>
    public static async Task<ServiceProcess> StartAsync(string service, string name, IReadOnlyDictionary<string, string> environment)
    {
        var started = new ServiceProcess(service, name, environment);
        await started.started.Task.WaitAsync(TimeSpan.FromSeconds(90));
        return started;
    }

    public void Kill() => process.Kill(entireProcessTree: true);

    /// <summary>SIGSTOP: the process freezes mid-instruction, as a paused VM or a long GC stall would freeze it.</summary>
    public void Pause() => Signal(19);

    /// <summary>SIGCONT: the frozen process runs on, unaware of the time it lost.</summary>
    public void Resume() => Signal(18);

    /// <summary>SIGTERM: what Kubernetes sends on a drain, a rollout or a spot preemption.</summary>
    public void Terminate() => Signal(15);

    public Task<bool> WaitForExitAsync(TimeSpan timeout) => process.WaitForExitAsync().WaitAsync(timeout).ContinueWith(t => t.IsCompletedSuccessfully);

    private void Signal(int signal)
    {
        if (SignalProcess(process.Id, signal) != 0)
            throw new InvalidOperationException($"kill({process.Id}, {signal}) failed for {Name}.");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SignalProcess(int pid, int signal);

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (output)
            output.AppendLine(line);
        if (line.Contains("Bus started", StringComparison.Ordinal))
            started.TrySetResult();
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
