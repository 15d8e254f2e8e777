using System.Diagnostics;
using CloudAssembly.Orchestration.Runs;

namespace CloudAssembly.Cli.Client;

/// <summary>
/// How long each lease a <see cref="RunWatcher"/> reads has gone unrenewed. A renewal changes the lease's ETag; the
/// silence is timed on this process's clock from the last change it saw, starting from the time the trainer wrote
/// into the lease when the watcher first reads it (so a trainer already silent when <c>watch</c> attaches is told at
/// once). Each silence is told once.
/// </summary>
public sealed class HeartbeatWatch(TimeSpan threshold)
{
    private readonly Dictionary<string, Seen> leases = [];

    /// <summary>The silence to tell for this read of <paramref name="blob"/>, or null while it renews (or was told already).</summary>
    public TimeSpan? Silence(string blob, PhaseLease lease, string etag)
    {
        var now = Stopwatch.GetTimestamp();
        if (!leases.TryGetValue(blob, out var seen) || seen.ETag != etag)
        {
            var quietFor = seen is null ? DateTimeOffset.UtcNow - lease.HeartbeatAt : TimeSpan.Zero;
            var since = now - (long)(Math.Clamp(quietFor.TotalSeconds, 0, threshold.TotalSeconds * 10) * Stopwatch.Frequency);
            leases[blob] = seen = new Seen(etag, since);
        }
        var silence = Stopwatch.GetElapsedTime(seen.Since, now);
        if (silence < threshold || seen.Told)
            return null;
        seen.Told = true;
        return silence;
    }

    private sealed class Seen(string etag, long since)
    {
        public string ETag { get; } = etag;
        public long Since { get; } = since;
        public bool Told { get; set; }
    }
}
