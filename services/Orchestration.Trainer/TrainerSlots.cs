using CloudAssembly.Orchestration.Telemetry;

namespace CloudAssembly.Orchestration.Trainer;

/// <summary>
/// The phases this trainer may run at once (one per device). A command takes a slot before it is claimed; the slot is
/// given back when the phase ends, however it ends.
/// </summary>
public sealed class TrainerSlots(TrainerOptions options) : IDisposable
{
    private readonly SemaphoreSlim free = CountSlots(options);

    private static SemaphoreSlim CountSlots(TrainerOptions options)
    {
        var free = new SemaphoreSlim(options.Slots, options.Slots);
        CloudAssemblyTelemetry.ObserveUtilisation(options.Name, () => 1 - (double)free.CurrentCount / options.Slots);
        return free;
    }

    public async Task<IDisposable?> TryTakeAsync(CancellationToken ct)
    {
        var taken = options.SlotWait is { } wait ? await free.WaitAsync(wait, ct) : await WaitForever(ct);
        return taken ? new Slot(free) : null;
    }

    private async Task<bool> WaitForever(CancellationToken ct)
    {
        await free.WaitAsync(ct);
        return true;
    }

    public void Dispose() => free.Dispose();

    private sealed class Slot(SemaphoreSlim free) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
                free.Release();
        }
    }
}
