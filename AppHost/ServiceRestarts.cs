using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CloudAssembly.AppHost;

/// <summary>
/// Starts a service instance again when its process exits while the AppHost runs, as Kubernetes' restart policy does:
/// a trainer that dies (killed, out of memory) comes back, so the rest of a run keeps its capacity. Each restart is
/// logged, and the dashboard shows the instance going through Exited and Starting to Running again.
/// </summary>
public sealed class ServiceRestarts(ResourceNotificationService notifications, ResourceCommandService commands,
    IHostApplicationLifetime lifetime, ILogger<ServiceRestarts> log, IReadOnlySet<string> services) : BackgroundService
{
    /// <summary>A pause before each restart, so a service that dies on start does not spin.</summary>
    public static readonly TimeSpan Backoff = TimeSpan.FromSeconds(2);

    private static readonly string[] Stopped = [KnownResourceStates.Exited, KnownResourceStates.Finished, KnownResourceStates.FailedToStart];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new HashSet<string>();
        await foreach (var e in notifications.WatchAsync(stoppingToken))
        {
            if (!services.Contains(e.Resource.Name) || e.Snapshot.State?.Text is not { } state)
                continue;
            if (state == KnownResourceStates.Running)
                running.Add(e.ResourceId);
            else if (Stopped.Contains(state) && running.Remove(e.ResourceId) && !lifetime.ApplicationStopping.IsCancellationRequested)
                _ = RestartAsync(e.ResourceId, e.Snapshot.ExitCode, stoppingToken);
        }
    }

    private async Task RestartAsync(string instance, int? exitCode, CancellationToken ct)
    {
        log.LogWarning("{Instance} exited (exit code {ExitCode}); starting it again in {Backoff}, as Kubernetes would", instance, exitCode, Backoff);
        await Task.Delay(Backoff, ct);
        if (lifetime.ApplicationStopping.IsCancellationRequested)
            return;
        var result = await commands.ExecuteCommandAsync(instance, KnownResourceCommands.StartCommand, ct);
        if (!result.Success)
            log.LogError("Starting {Instance} again failed: {Error}", instance, result.Message);
    }
}
