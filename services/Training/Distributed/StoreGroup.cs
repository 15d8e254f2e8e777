using CloudAssembly.Model;
using CloudAssembly.Storage;
using TorchSharp;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Distributed;

/// <summary>
/// CPU ranks in processes that no launcher started (trainer pods the message flow dispatched, or
/// <c>cloudassembly train --world_size W --rank R --rendezvous FOLDER</c>), exchanging through the blob store they meet
/// in: all-reduce number n has each rank upload its buffer as <c>{prefix}allreduce/{n}/rank-{r}</c>, wait for all W,
/// and add them up in rank order (rank 0 + rank 1 + ...), so every rank gets the same bits — the same order as
/// <see cref="ThreadGroup"/>, hence its result too. Having read all W blobs of n, a rank deletes its own of n − 1: every
/// other rank has by then finished reading n − 1. Slow (every byte goes up once and comes down W − 1 times) and meant
/// for CPU ranks and tests; GPU pods use NCCL. A rank that is not there in time fails the wait, naming it; a rank
/// whose process is gone stops the others within <see cref="PeerWatch.Silence"/> (its heartbeat stops), naming it.
/// </summary>
public sealed class StoreGroup : IRankGroup
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(2), LastPoll = TimeSpan.FromMilliseconds(100);
    private readonly RankMeeting meeting;
    private readonly CancellationTokenSource failed;
    private readonly CancellationToken stopped;
    private readonly PeerWatch peers;
    private volatile string? lostPeer;

    private StoreGroup(RankMeeting meeting, int firstRank, int localRanks, int worldSize, CancellationToken cancellation)
    {
        this.meeting = meeting;
        WorldSize = worldSize;
        stopped = cancellation;
        failed = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        Members = [.. Enumerable.Range(firstRank, localRanks).Select(r => new StoreCollective(this, r))];
        peers = new PeerWatch(meeting, [.. Enumerable.Range(firstRank, localRanks)], worldSize, reason =>
        {
            lostPeer = reason;
            failed.Cancel();
        });
    }

    public int WorldSize { get; }

    public IReadOnlyList<ICollective> Members { get; }

    /// <summary>Joins the meeting's rendezvous with this process's ranks and waits (bounded) until all W have joined.</summary>
    public static StoreGroup Join(RankMeeting meeting, int firstRank, int localRanks, int worldSize, CancellationToken cancellation)
    {
        meeting.Rendezvous(worldSize).JoinAsync(firstRank, localRanks, () => [], cancellation).GetAwaiter().GetResult();
        return new StoreGroup(meeting, firstRank, localRanks, worldSize, cancellation);
    }

    public void Fail() => failed.Cancel();

    /// <summary>
    /// Only the blob transfers are asynchronous; the sums run on the calling thread, whose grad mode (and libtorch's
    /// other thread-local state) must not be touched from another thread.
    /// </summary>
    internal void AllReduce(int rank, long sequence, Tensor buffer, ReduceOp op)
    {
        if (buffer.device_type != DeviceType.CPU)
            throw new ArgumentException("The blob-store backend reduces host memory; CUDA ranks use NCCL.", nameof(buffer));
        using var _ = no_grad();
        var bytes = buffer.numel() * buffer.ElementSize;
        Wait(UploadAsync(Name(sequence, rank), buffer, bytes, failed.Token));
        Tensor? total = null;
        try
        {
            for (var r = 0; r < WorldSize; r++)
            {
                var part = r == rank ? buffer : Wait(DownloadAsync(sequence, r, buffer, bytes, failed.Token));
                if (total is null)
                {
                    total = r == rank ? buffer.clone() : part;
                    continue;
                }
                if (op == ReduceOp.Sum)
                    total.add_(part, HeldScalars.One);
                else
                {
                    using var larger = total.maximum(part);
                    total.copy_(larger);
                }
                if (r != rank)
                    part.Dispose();
            }
            buffer.copy_(total!);
        }
        finally
        {
            total?.Dispose();
        }
        if (sequence > 1)
            Wait(meeting.Store.DeleteAsync(Name(sequence - 1, rank), failed.Token));
    }

    private T Wait<T>(Task<T> task)
    {
        Wait((Task)task);
        return task.Result;
    }

    private void Wait(Task task)
    {
        try
        {
            task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (failed.IsCancellationRequested && !stopped.IsCancellationRequested)
        {
            throw new RankFailedException(lostPeer ?? "Another rank of this phase failed; stopping this one too.");
        }
    }

    private string Name(long sequence, int rank) => $"{meeting.AllReducePrefix}{sequence}/rank-{rank}";

    private async Task UploadAsync(string name, Tensor buffer, long bytes, CancellationToken ct)
    {
        // Straight from the tensor's memory: no managed copy of a gradient buffer that may be hundreds of MB.
        await using var source = Memory(buffer, bytes, FileAccess.Read);
        await meeting.Store.PutIfAbsentAsync(name, source, ct);
    }

    /// <summary>Rank <paramref name="rank"/>'s buffer of all-reduce <paramref name="sequence"/>, polled with a growing pause until it is there.</summary>
    private async Task<Tensor> DownloadAsync(long sequence, int rank, Tensor like, long bytes, CancellationToken ct)
    {
        var name = Name(sequence, rank);
        var deadline = DateTime.UtcNow + meeting.Timeout;
        for (var pause = FirstPoll; ; pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LastPoll.Ticks)))
        {
            try
            {
                await using var content = await meeting.Store.GetAsync(name, ct);
                if (content.Length != bytes)
                    throw new InvalidOperationException(
                        $"'{meeting.Store.Location}/{name}' holds {content.Length} bytes, not the {bytes} of this rank's buffer: the ranks are not running the same phase.");
                var part = empty(like.numel(), dtype: like.dtype);
                await CopyAsync(content.Content, part, bytes, ct);
                return part;
            }
            catch (BlobNotFoundException)
            {
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException(
                    $"All-reduce {sequence} in '{meeting.Store.Location}/{meeting.AllReducePrefix}' waited {meeting.Timeout.TotalSeconds:F0} s: " +
                    $"rank(s) {string.Join(", ", await MissingAsync(sequence, ct))} of {WorldSize} never sent their buffer (stopped or too slow).");
            await Task.Delay(pause, ct);
        }
    }

    private async Task<IReadOnlyList<int>> MissingAsync(long sequence, CancellationToken ct)
    {
        var present = new HashSet<string>();
        await foreach (var blob in meeting.Store.ListAsync($"{meeting.AllReducePrefix}{sequence}/", ct))
            present.Add(blob.Name);
        return [.. Enumerable.Range(0, WorldSize).Where(r => !present.Contains(Name(sequence, r)))];
    }

    private static async Task CopyAsync(Stream source, Tensor target, long bytes, CancellationToken ct)
    {
        await using var destination = Memory(target, bytes, FileAccess.Write);
        await source.CopyToAsync(destination, 1 << 20, ct);
    }

    private static unsafe UnmanagedMemoryStream Memory(Tensor tensor, long bytes, FileAccess access) =>
        new((byte*)TensorMemory.Address(tensor), bytes, bytes, access);

    public void Dispose()
    {
        peers.Dispose();
        failed.Dispose();
    }
}
