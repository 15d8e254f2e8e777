using CloudAssembly.Model;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Distributed;

/// <summary>
/// W ranks on W threads of one process (one replica per device). An all-reduce has each rank add up one chunk of all
/// W buffers in rank order, then every rank copies all chunks back: one summation order, so every rank ends with the
/// same bits. When a rank fails, <see cref="Fail"/> makes every other rank's waiting collective throw.
/// </summary>
public sealed class ThreadGroup : IRankGroup
{
    private readonly int worldSize;
    private readonly Barrier barrier;
    private readonly Tensor?[] buffers, chunks;
    private readonly CancellationTokenSource failed = new();

    public ThreadGroup(int worldSize)
    {
        this.worldSize = worldSize;
        barrier = new Barrier(worldSize);
        buffers = new Tensor?[worldSize];
        chunks = new Tensor?[worldSize];
        Members = [.. Enumerable.Range(0, worldSize).Select(r => new ThreadCollective(this, r))];
    }

    public int WorldSize => worldSize;

    public IReadOnlyList<ICollective> Members { get; }

    public void Fail() => failed.Cancel();

    internal void AllReduce(int rank, Tensor buffer, ReduceOp op)
    {
        using var _ = no_grad();
        buffers[rank] = buffer;
        Wait();
        var (start, length) = Chunk(buffer.numel(), rank);
        if (length > 0)
        {
            var sum = buffers[0]!.narrow(0, start, length).to(buffer.device, copy: true);
            for (var i = 1; i < worldSize; i++)
            {
                using var part = buffers[i]!.narrow(0, start, length).to(buffer.device);
                if (op == ReduceOp.Sum)
                    sum.add_(part, HeldScalars.One);
                else
                    sum.copy_(sum.maximum(part));
            }
            chunks[rank] = sum;
        }
        Wait();
        for (var j = 0; j < worldSize; j++)
        {
            var (s, n) = Chunk(buffer.numel(), j);
            if (n > 0)
                buffer.narrow(0, s, n).copy_(chunks[j]!);
        }
        Wait();
        chunks[rank]?.Dispose();
        chunks[rank] = null;
        buffers[rank] = null;
    }

    private (long Start, long Length) Chunk(long count, int rank)
    {
        var size = (count + worldSize - 1) / worldSize;
        var start = Math.Min(count, rank * size);
        return (start, Math.Min(size, count - start));
    }

    private void Wait()
    {
        try
        {
            barrier.SignalAndWait(failed.Token);
        }
        catch (OperationCanceledException)
        {
            throw new RankFailedException("Another rank of this phase failed; stopping this one too.");
        }
    }

    public void Dispose()
    {
        barrier.Dispose();
        failed.Dispose();
    }
}
