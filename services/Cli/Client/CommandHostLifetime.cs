using Microsoft.Extensions.Hosting;

namespace CloudAssembly.Cli.Client;

/// <summary>
/// The lifetime of a host that a command starts inside itself (a cluster client, the embedded run): the command, not
/// the host, answers Ctrl+C and SIGTERM. The default console lifetime would swallow SIGTERM to stop the host and leave
/// the command waiting on a run that goes on.
/// </summary>
public sealed class CommandHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
