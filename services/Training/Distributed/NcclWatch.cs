namespace CloudAssembly.Training.Distributed;

/// <summary>
/// Ends a process's NCCL collectives when the group cannot finish them. A rank blocked in an all-reduce that a lost
/// peer never joins waits forever (NCCL itself has no timeout), holding its slot and its work folder; torchrun's agent
/// and PyTorch's watchdog free it by aborting the communicator from another thread, and so does this: its thread calls
/// <c>ncclCommAbort</c> on every communicator of the process, once, when a peer of another process is lost (its
/// heartbeat in the meeting stopped for <see cref="PeerWatch.Silence"/>), when NCCL reports an asynchronous error
/// (<c>ncclCommGetAsyncError</c>, polled every <see cref="Poll"/>), when the attempt is cancelled or replaced, or when
/// another rank of this process failed (<see cref="Fail"/>). The blocked call then returns and
/// <see cref="ThrowIfAborted"/> fails the rank with the reason, naming the lost rank.
/// </summary>
public sealed class NcclWatch : IDisposable
{
    /// <summary>How often NCCL's asynchronous errors and the attempt's cancellation are looked at.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    private readonly INcclComms nccl;
    private readonly IReadOnlyList<(int Rank, IntPtr Comm)> comms;
    private readonly CancellationToken attempt;
    private readonly CancellationTokenSource stop = new();
    private readonly PeerWatch? peers;
    private readonly Thread watching;
    private readonly object gate = new();
    private string? reason;

    /// <param name="meeting">Where the processes meet, to watch the other processes' ranks; null when every rank is in this process.</param>
    public NcclWatch(INcclComms nccl, IReadOnlyList<(int Rank, IntPtr Comm)> comms, RankMeeting? meeting, int worldSize, CancellationToken attempt)
    {
        this.nccl = nccl;
        this.comms = comms;
        this.attempt = attempt;
        watching = new Thread(Watch) { IsBackground = true, Name = "NCCL watch" };
        watching.Start();
        if (meeting is not null)
            peers = new PeerWatch(meeting, [.. comms.Select(c => c.Rank)], worldSize, Abort);
    }

    /// <summary>Whether the communicators were aborted (and freed): nothing may call NCCL on them after this.</summary>
    public bool Aborted => Volatile.Read(ref reason) is not null;

    /// <summary>Another rank of this process failed: its peers here must not wait for it either.</summary>
    public void Fail() => Abort("Another rank of this phase failed; stopping this one too.");

    /// <summary>Throws why the communicators were aborted, if they were: the attempt's cancellation, or the failure.</summary>
    public void ThrowIfAborted()
    {
        if (!Aborted)
            return;
        attempt.ThrowIfCancellationRequested();
        throw new RankFailedException(reason!);
    }

    private void Watch()
    {
        var handles = new[] { attempt.WaitHandle, stop.Token.WaitHandle };
        while (WaitHandle.WaitAny(handles, Poll) == WaitHandle.WaitTimeout)
            foreach (var (rank, comm) in comms)
            {
                NcclResult error;
                lock (gate)
                {
                    if (reason is not null)
                        return;
                    error = nccl.AsyncError(comm);
                }
                if (error != NcclResult.Success)
                {
                    Abort($"NCCL reported '{nccl.Describe(error)}' (NCCL error {(int)error}) on the communicator of rank {rank} of {comms.Count} here; " +
                          "a peer may have died or lost the network, and the phase starts again from its last checkpoint.");
                    return;
                }
            }
        if (attempt.IsCancellationRequested)
            Abort("The attempt was cancelled or replaced.");
    }

    private void Abort(string why)
    {
        lock (gate)
        {
            if (reason is not null)
                return;
            Volatile.Write(ref reason, why);
            foreach (var (_, comm) in comms)
                nccl.Abort(comm);
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        peers?.Dispose();
        watching.Join();
        stop.Dispose();
    }
}
