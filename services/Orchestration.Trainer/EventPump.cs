using System.Diagnostics;
using System.Threading.Channels;
using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Telemetry;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace CloudAssembly.Orchestration.Trainer;

/// <summary>
/// Sends a phase's events without ever holding up training: progress goes through a small queue that drops the oldest
/// when the broker is slow or away (a newer heartbeat replaces it), while <see cref="SendAsync"/> retries until the
/// broker takes the message (a completion must not be lost to a broker restart). Events are sent inside the phase's
/// span, so they stay in the run's trace; progress stays out of it. The start is sent under a step of its own beside the
/// phase (linked to it): a trainer killed mid-phase never exports the phase's span, and the start and what it caused at
/// the Assembler, exported long before, would otherwise name a parent the trace never gets.
/// </summary>
public sealed class EventPump : IAsyncDisposable
{
    private readonly IPublishEndpoint bus;
    private readonly ILogger log;
    private readonly Activity? span;
    private readonly Channel<object> progress = Channel.CreateBounded<object>(new BoundedChannelOptions(8) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public EventPump(IPublishEndpoint bus, Activity? span, ILogger log)
    {
        this.bus = bus;
        this.span = span;
        this.log = log;
        loop = Task.Run(PumpAsync);
    }

    public void Post(object message) => progress.Writer.TryWrite(message);

    public async Task SendAsync(object message, CancellationToken ct)
    {
        for (var delay = TimeSpan.FromMilliseconds(200); ; delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks)))
        {
            try
            {
                await PublishInSpan(message, ct);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("Sending {Message} failed ({Error}); retrying in {Delay}", message.GetType().Name, e.Message, delay);
                await Task.Delay(delay, ct);
            }
        }
    }

    private async Task PumpAsync()
    {
        try
        {
            await foreach (var message in progress.Reader.ReadAllAsync(stop.Token))
            {
                try
                {
                    // Progress is many small messages: metrics and the live view carry it, the run's trace does not.
                    using var outside = CloudAssemblyTelemetry.OutsideRunTraces("phase progress");
                    await bus.Publish(message, message.GetType(), stop.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogDebug("Dropping progress {Message}: {Error}", message.GetType().Name, e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task PublishInSpan(object message, CancellationToken ct)
    {
        // Set inside this async method, the current span goes back to the caller's when it returns.
        Activity.Current = span ?? Activity.Current;
        using var started = message is PhaseStarted s ? StartedStep(s) : null;
        await bus.Publish(message, message.GetType(), ct);
    }

    /// <summary>The step the start is sent under: a child of the run's root (the phase span's parent), linked to the phase.</summary>
    private Activity? StartedStep(PhaseStarted started)
    {
        if (span?.ParentId is not { } root)
            return null;
        var step = CloudAssemblyTelemetry.StartRunActivity($"phase {started.Phase} attempt {started.Attempt} started", started.RunId, root);
        step?.SetTag(CloudAssemblyTelemetry.Phase, started.Phase.ToString());
        step?.SetTag(CloudAssemblyTelemetry.Attempt, started.Attempt);
        step?.SetTag(CloudAssemblyTelemetry.Trainer, started.Trainer);
        return step;
    }

    public async ValueTask DisposeAsync()
    {
        progress.Writer.TryComplete();
        await stop.CancelAsync();
        try
        {
            await loop;
        }
        catch (OperationCanceledException)
        {
        }
        stop.Dispose();
    }
}
