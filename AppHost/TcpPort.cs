using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CloudAssembly.AppHost;

/// <summary>Loopback TCP ports: whether something listens, as a health check and as a guard before starting a server.</summary>
public static class TcpPort
{
    public const string Loopback = "127.0.0.1";

    public static async Task<HealthCheckResult> CheckAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(Loopback, port, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (SocketException e)
        {
            return HealthCheckResult.Unhealthy($"{Loopback}:{port} does not accept connections yet ({e.SocketErrorCode}).");
        }
    }

    public static bool IsInUse(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Fails before anything starts, rather than leaving a server to die on a busy port.</summary>
    public static void EnsureFree(int port, string server, string setting)
    {
        if (IsInUse(port))
            throw new InvalidOperationException(
                $"Port {port} on {Loopback} is already in use, so {server} cannot start there: stop what listens on it " +
                $"(perhaps a {server} left over from an earlier AppHost run) or choose another port with --{setting}=<port>.");
    }
}
