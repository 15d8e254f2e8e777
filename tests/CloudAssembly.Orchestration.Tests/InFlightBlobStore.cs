using CloudAssembly.Storage;

namespace CloudAssembly.Orchestration.Tests;

/// <summary>A real store whose reads take a little time, counting how many reads it served and the most it had in flight at once.</summary>
public sealed class InFlightBlobStore(IBlobStore store) : DelegatingBlobStore(store)
{
    private int inFlight;
    private int reads;
    private int mostInFlight;

    public int Reads => reads;

    public int MostInFlight => mostInFlight;

    public override async Task<BlobContent> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        var now = Interlocked.Increment(ref inFlight);
        Interlocked.Increment(ref reads);
        for (var most = mostInFlight; now > most; most = mostInFlight)
            Interlocked.CompareExchange(ref mostInFlight, now, most);
        try
        {
            await Task.Delay(2, cancellationToken);
            return await Inner.GetAsync(name, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }
}
