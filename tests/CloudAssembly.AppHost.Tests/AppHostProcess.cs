using System.Diagnostics;
using System.Text;

namespace CloudAssembly.AppHost.Tests;

/// <summary>
/// The AppHost as a person starts it — its own process, the dashboard included — on free ports and its own data folder,
/// without Docker. <see cref="CliEnvironment"/> is what it printed for the CLI once the services were up.
/// </summary>
public sealed class AppHostProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();
    private readonly DirectoryInfo data = Directory.CreateTempSubdirectory("cloudassembly-apphost-dashboard-");

    public AppHostProcess(int trainers)
    {
        var ports = FreePorts.Take(7);
        RabbitPort = ports[0];
        AzuritePort = ports[3];
        Dashboard = $"http://127.0.0.1:{ports[4]}";
        OtlpEndpoint = $"http://127.0.0.1:{ports[5]}";
        var info = new ProcessStartInfo("dotnet",
        [
            Path.Combine(AppContext.BaseDirectory, "CloudAssembly.AppHost.dll"),
            "--Infrastructure:Mode=Executables",
            $"--Infrastructure:DataFolder={data.FullName}",
            $"--Infrastructure:RabbitNodeName=rabbit-dashboard-test-{Guid.NewGuid():N}@localhost",
            $"--Infrastructure:RabbitPort={ports[0]}",
            $"--Infrastructure:RabbitDistributionPort={ports[1]}",
            $"--Infrastructure:RabbitManagementPort={ports[2]}",
            $"--Infrastructure:AzuritePort={ports[3]}",
            $"--Trainers={trainers}",
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = data.FullName,
        };
        // What Properties/launchSettings.json gives `dotnet run`: the dashboard over plain HTTP on loopback.
        info.Environment["ASPNETCORE_URLS"] = Dashboard;
        info.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = OtlpEndpoint;
        info.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://127.0.0.1:{ports[6]}";
        info.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        info.Environment["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true";
        info.Environment["DOTNET_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Dashboard { get; }

    public string OtlpEndpoint { get; }

    public int RabbitPort { get; }

    public int AzuritePort { get; }

    public string Log
    {
        get
        {
            lock (log)
                return log.ToString();
        }
    }

    /// <summary>The variables of the <c>export</c> lines the AppHost wrote to <c>cli.env</c>, once the services are up.</summary>
    public async Task<Dictionary<string, string>> CliEnvironmentAsync(CancellationToken ct)
    {
        var file = Path.Combine(data.FullName, CliEnvironment.FileName);
        while (!File.Exists(file))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The AppHost exited with {process.ExitCode}:\n{Log}");
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        }
        await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        return (await File.ReadAllLinesAsync(file, ct))
            .Select(line => line["export ".Length..].Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1].Trim('\''));
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (log)
            log.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            // SIGTERM, as Ctrl+C or a script would: the AppHost stops every process it started.
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString()]))
                await term.WaitForExitAsync();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        process.Dispose();
        data.Delete(recursive: true);
    }
}
