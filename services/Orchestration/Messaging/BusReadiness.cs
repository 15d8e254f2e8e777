namespace CloudAssembly.Orchestration.Messaging;

/// <summary>Whether this process's bus has been ready once: until then, not being ready is starting, not a fault.</summary>
public sealed class BusReadiness
{
    private volatile bool wasReady;

    public bool WasReady => wasReady;

    public void Ready() => wasReady = true;
}
