using System.Diagnostics;

namespace CloudAssembly.Training.Distributed;

/// <summary>
/// Liveness for ranks that meet in a blob store: this process rewrites <c>{meeting}rendezvous/alive-{r}</c> for each
/// of its ranks every <see cref="Beat"/> and reads every other rank's. A rank whose heartbeat has not changed for
/// <see cref="Silence"/> while the store answers is lost, and <c>lost</c> is called once, naming it, so the ranks
/// still alive stop at once instead of waiting out the rendezvous timeout for a buffer that will never come. Timed on
/// this process's monotonic clock (no two machines' clocks are compared); time the store does not answer does not
/// count against anyone, since no rank could prove itself alive then.
/// </summary>
internal sealed class PeerWatch : IDisposable
{
    /// <summary>How often each rank proves itself alive.</summary>
    public static readonly TimeSpan Beat = TimeSpan.FromSeconds(5);

    /// <summary>The stated bound: a rank silent this long is lost (well under the 60 s a lost rank may hold its group).</summary>
    public static readonly TimeSpan Silence = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource stop = new();
    private readonly Task watching;

    public PeerWatch(RankMeeting meeting, IReadOnlyList<int> own, int worldSize, Action<string> lost) =>
        watching = Task.Run(() => WatchAsync(meeting, own, worldSize, lost, stop.Token));

    private static async Task WatchAsync(RankMeeting meeting, IReadOnlyList<int> own, int worldSize, Action<string> lost, CancellationToken ct)
    {
        var peers = Enumerable.Range(0, worldSize).Except(own).ToArray();
        var seen = peers.ToDictionary(r => r, _ => (ETag: (string?)null, Since: Stopwatch.GetTimestamp()));
        try
        {
            while (true)
            {
                foreach (var rank in own)
                    await BeatAsync(meeting, rank, ct);
                foreach (var rank in peers)
                {
                    string? etag;
                    try
                    {
                        etag = (await meeting.Store.TryGetPropertiesAsync(meeting.Heartbeat(rank), ct))?.ETag;
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        seen[rank] = (seen[rank].ETag, Stopwatch.GetTimestamp());
                        continue;
                    }
                    if (etag != seen[rank].ETag)
                        seen[rank] = (etag, Stopwatch.GetTimestamp());
                    else if (Stopwatch.GetElapsedTime(seen[rank].Since) > Silence)
                    {
                        lost($"Rank {rank} of {worldSize} sent no heartbeat for {Silence.TotalSeconds:F0} s (its process stopped, or it lost " +
                             $"'{meeting.Store.Location}'): rank(s) {string.Join(", ", own)} stop too, and the phase starts again from its last checkpoint.");
                        return;
                    }
                }
                await Task.Delay(Beat, ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task BeatAsync(RankMeeting meeting, int rank, CancellationToken ct)
    {
        try
        {
            await meeting.Store.PutAsync(meeting.Heartbeat(rank), new MemoryStream(), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The store is away: the peers' reads fail as well, and time without the store counts against no one.
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        watching.Wait(TimeSpan.FromSeconds(5));
        stop.Dispose();
    }
}
