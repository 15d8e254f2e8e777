using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CloudAssembly.AppHost.Tests;

/// <summary>
/// The real AppHost started on the locally installed RabbitMQ and Azurite (no Docker), on free ports, with its own
/// node name and data folder, so it runs beside eng/services-up.sh's services and a developer's own AppHost.
/// It remembers the latest state of every resource instance (replicas included) from the moment it starts.
/// </summary>
public sealed class LocalAppHost : IAsyncDisposable
{
    private readonly DirectoryInfo data;
    private readonly CancellationTokenSource stopWatching = new();
    private readonly ConcurrentDictionary<string, ResourceEvent> latest = new();
    private readonly ConcurrentDictionary<string, int> starts = new();
    private readonly TaskCompletionSource everyInstanceUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IReadOnlyDictionary<string, int> expectedInstances = new Dictionary<string, int>();
    private Task watching = Task.CompletedTask;

    private LocalAppHost(DistributedApplication app, DirectoryInfo data, int rabbitPort, int managementPort)
    {
        App = app;
        this.data = data;
        RabbitPort = rabbitPort;
        ManagementPort = managementPort;
    }

    public DistributedApplication App { get; }
    public string DataFolder => data.FullName;
    public int RabbitPort { get; }
    public int ManagementPort { get; }

    public static async Task<LocalAppHost> StartAsync(int trainers, IEnumerable<string> resources, CancellationToken ct)
    {
        var data = Directory.CreateTempSubdirectory("cloudassembly-apphost-test-");
        var ports = FreePorts.Take(4);
        string[] args =
        [
            "--Infrastructure:Mode=Executables",
            $"--Infrastructure:DataFolder={data.FullName}",
            $"--Infrastructure:RabbitNodeName=rabbit-apphost-test-{Guid.NewGuid():N}@localhost",
            $"--Infrastructure:RabbitPort={ports[0]}",
            $"--Infrastructure:RabbitDistributionPort={ports[1]}",
            $"--Infrastructure:RabbitManagementPort={ports[2]}",
            $"--Infrastructure:AzuritePort={ports[3]}",
            $"--Trainers={trainers}",
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.CloudAssembly_AppHost>(
            args, (options, _) => options.DisableDashboard = true, ct);
        // A dependency that dies makes its dependents fail at once instead of waiting for a restart that never comes.
        builder.Services.Configure<ResourceNotificationServiceOptions>(o => o.DefaultWaitBehavior = WaitBehavior.StopOnResourceUnavailable);
        var host = new LocalAppHost(await builder.BuildAsync(ct), data, ports[0], ports[2]);
        host.Watch(resources);
        try
        {
            await host.App.StartAsync(ct);
        }
        catch (OperationCanceledException)
        {
            var states = host.Describe();
            await host.DisposeAsync();
            throw new TimeoutException($"The AppHost did not finish starting: {states}");
        }
        return host;
    }

    /// <summary>Every instance of the resources: the latest event of each, once all are Running and Healthy.</summary>
    public async Task<IReadOnlyList<ResourceEvent>> WaitUntilEveryInstanceIsUpAsync(CancellationToken ct)
    {
        try
        {
            await everyInstanceUp.Task.WaitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Not every resource became Running and Healthy: {Describe()}");
        }
        return [.. latest.Values.Where(e => expectedInstances.ContainsKey(e.Resource.Name) && IsUp(e))];
    }

    /// <summary>The process id DCP reports for an instance.</summary>
    public string? ProcessId(string resourceId) =>
        latest.TryGetValue(resourceId, out var e) ? e.Snapshot.Properties.SingleOrDefault(p => p.Name == "executable.pid")?.Value?.ToString() : null;

    /// <summary>How many times the instance has entered the Running state so far.</summary>
    public int Starts(string resourceId) => starts.GetValueOrDefault(resourceId);

    /// <summary>Waits until the instance has started again after <paramref name="startsBefore"/> starts and is healthy.</summary>
    public async Task WaitUntilRunningAgainAsync(string resourceId, int startsBefore, CancellationToken ct)
    {
        try
        {
            while (!(Starts(resourceId) > startsBefore && latest.TryGetValue(resourceId, out var e) && IsUp(e)))
                await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{resourceId} did not run again: {Describe()}");
        }
    }

    public string Describe() => string.Join("; ", latest.Values.OrderBy(e => e.ResourceId)
        .Select(e => $"{e.ResourceId} {e.Snapshot.State?.Text ?? "no state"} {e.Snapshot.HealthStatus?.ToString() ?? "no health"}"));

    private static bool IsUp(ResourceEvent e) =>
        e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.HealthStatus == HealthStatus.Healthy;

    private void Watch(IEnumerable<string> resources)
    {
        var model = App.Services.GetRequiredService<DistributedApplicationModel>();
        expectedInstances = resources.ToDictionary(n => n, n => model.Resources.Single(r => r.Name == n).GetReplicaCount());
        var notifications = App.Services.GetRequiredService<ResourceNotificationService>();
        watching = Task.Run(async () =>
        {
            await foreach (var e in notifications.WatchAsync(stopWatching.Token))
            {
                var wasRunning = latest.TryGetValue(e.ResourceId, out var before) && before.Snapshot.State?.Text == KnownResourceStates.Running;
                if (e.Snapshot.State?.Text == KnownResourceStates.Running && !wasRunning)
                    starts.AddOrUpdate(e.ResourceId, 1, (_, n) => n + 1);
                latest[e.ResourceId] = e;
                if (expectedInstances.All(x => latest.Values.Count(v => v.Resource.Name == x.Key && IsUp(v)) == x.Value))
                    everyInstanceUp.TrySetResult();
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await stopWatching.CancelAsync();
        try
        {
            await watching;
        }
        catch (OperationCanceledException)
        {
        }
        await App.DisposeAsync();
        stopWatching.Dispose();
        data.Delete(recursive: true);
    }
}
