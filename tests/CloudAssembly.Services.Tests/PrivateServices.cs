using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CloudAssembly.Services.Tests;

/// <summary>
/// A RabbitMQ node and an Azurite of one test's own, on free ports with their own node name, data and pid files (the
/// shared eng/services-up.sh with its settings overridden), so the test may SIGKILL the broker or stop storage without
/// touching the shared ones every other test uses. Disposing kills both and removes their folder.
/// </summary>
public sealed class PrivateServices : IAsyncDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"ca-private-{Guid.NewGuid():N}"[..22]);
    private readonly string node = $"ca-{Guid.NewGuid():N}"[..11] + "@localhost";
    private readonly int amqpPort = FreePort(), distPort = FreePort(), managementPort = FreePort(), blobPort = FreePort();

    public string RabbitUri => $"amqp://app:app-pass@127.0.0.1:{amqpPort}/";

    public string BlobConnection =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;";

    public static async Task<PrivateServices> StartAsync()
    {
        var services = new PrivateServices();
        await services.UpAsync();
        return services;
    }

    /// <summary>Starts whichever of the two is not running (both, the first time), and waits until both answer.</summary>
    public Task UpAsync() => RunScriptAsync("services-up.sh");

    /// <summary>SIGKILL to the broker's Erlang VM: no clean shutdown, queues recovered from disk on the next start.</summary>
    public void KillRabbitMq() => Kill(Path.Combine(folder, "rabbitmq", "rabbit.pid"));

    /// <summary>
    /// Stops Azurite with SIGTERM: storage goes away, and what it acknowledged stays. Not SIGKILL: Azurite writes its
    /// blob index to disk only every 5 s and on a clean stop, so a killed Azurite comes back having forgotten the writes
    /// it acknowledged in its last seconds — data loss no real storage service has, not an outage.
    /// </summary>
    public void StopAzurite() => Signal(Path.Combine(folder, "azurite", "azurite.pid"), Terminate);

    private const int Terminate = 15, ForceKill = 9;

    private static void Kill(string pidFile) => Signal(pidFile, ForceKill);

    /// <summary>Sends the signal, then waits until the process is gone or a zombie (here nobody may reap it, so waitpid-style waits could hang).</summary>
    private static void Signal(string pidFile, int signal)
    {
        var pid = int.Parse(File.ReadAllText(pidFile).Trim());
        if (SignalProcess(pid, signal) != 0)
            throw new InvalidOperationException($"kill({pid}, {signal}) failed for the process in {pidFile}.");
        for (var i = 0; i < 100 && File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(')')[^1].TrimStart().StartsWith('Z'); i++)
            Thread.Sleep(100);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SignalProcess(int pid, int signal);

    private async Task RunScriptAsync(string script)
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(Repository.Root, "eng", script)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["CI_SERVICES_DIR"] = folder;
        info.Environment["RMQ_NODENAME"] = node;
        info.Environment["RMQ_PORT"] = $"{amqpPort}";
        info.Environment["RMQ_DIST_PORT"] = $"{distPort}";
        info.Environment["RMQ_MGMT_PORT"] = $"{managementPort}";
        info.Environment["RMQ_MANAGEMENT"] = "0";
        info.Environment["AZURITE_BLOB_PORT"] = $"{blobPort}";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"eng/{script} for a private broker and storage failed:\n{await output}{await errors}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pidFile in new[] { Path.Combine(folder, "rabbitmq", "rabbit.pid"), Path.Combine(folder, "azurite", "azurite.pid") })
        {
            try
            {
                Kill(pidFile);
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or FormatException)
            {
            }
        }
        await Task.Yield();
        Directory.Delete(folder, recursive: true);
    }
}
