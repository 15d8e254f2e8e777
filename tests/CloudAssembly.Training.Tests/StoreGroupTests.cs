using CloudAssembly.Storage;
using CloudAssembly.Training.Distributed;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Tests;

/// <summary>The blob-store all-reduce of CPU ranks that no launcher started, on a real folder blob store.</summary>
public class StoreGroupTests
{
    private const int World = 3;

    /// <summary>W rank buffers of very different magnitudes, so that the order of the sum shows in the bits.</summary>
    private static Tensor[] Buffers(long n)
    {
        using var random = new Generator(7, CPU);
        return [.. Enumerable.Range(0, World).Select(r => randn(n, generator: random) * MathF.Pow(10, 3 * r - 3))];
    }

    /// <summary>Runs one collective call per rank, each on its own thread as the ranks would, and returns each rank's buffer after it.</summary>
    private static Tensor[] OnEveryRank(IReadOnlyList<ICollective> ranks, Tensor[] inputs, Action<ICollective, Tensor> call)
    {
        var buffers = inputs.Select(b => b.clone()).ToArray();
        var threads = ranks.Select((rank, i) => new Thread(() => call(rank, buffers[i]))).ToArray();
        foreach (var thread in threads)
            thread.Start();
        foreach (var thread in threads)
            thread.Join();
        return buffers;
    }

    private static bool Same(Tensor a, Tensor b) => a.eq(b).all().item<bool>();

    private static StoreGroup[] Join(RankMeeting meeting) =>
        Task.WhenAll(Enumerable.Range(0, World).Select(r => Task.Run(() => StoreGroup.Join(meeting, r, 1, World, default)))).GetAwaiter().GetResult();

    [Fact]
    public void Ranks_sum_in_rank_order_and_get_the_bits_of_thread_ranks()
    {
        var store = new FolderBlobStore(PhaseFixtures.TempFolder());
        var meeting = new RankMeeting(store, "runs/r/PT/attempt-1/", TimeSpan.FromMinutes(1));
        var groups = Join(meeting);
        var inputs = Buffers(100_003);
        var ranks = groups.Select(g => g.Members[0]).ToArray();
        var viaStore = OnEveryRank(ranks, inputs, (rank, buffer) => rank.AllReduce(buffer, ReduceOp.Sum));
        using var threadGroup = new ThreadGroup(World);
        var viaThreads = OnEveryRank(threadGroup.Members, inputs, (rank, buffer) => rank.AllReduce(buffer, ReduceOp.Sum));

        var inRankOrder = inputs[0] + inputs[1] + inputs[2];
        var otherOrder = inputs[2] + inputs[1] + inputs[0];
        Assert.False(Same(otherOrder, inRankOrder), "the test's buffers should make the order of the sum show");
        Assert.All(viaStore, b => Assert.True(Same(b, inRankOrder), "every rank has the rank-order sum, bit for bit"));
        Assert.All(viaThreads, b => Assert.True(Same(b, viaStore[0]), "thread ranks and blob-store ranks agree bit for bit"));

        var maxima = OnEveryRank(ranks, inputs, (rank, buffer) => rank.AllReduce(buffer, ReduceOp.Max));
        Assert.All(maxima, b => Assert.True(Same(b, inputs[0].maximum(inputs[1]).maximum(inputs[2]))));

        // Having read all-reduce 2 every rank deleted its buffer of all-reduce 1; only the latest remains.
        var left = store.ListAsync("runs/r/PT/attempt-1/allreduce/").ToBlockingEnumerable().Select(b => b.Name).ToList();
        Assert.Equal([.. Enumerable.Range(0, World).Select(r => $"runs/r/PT/attempt-1/allreduce/2/rank-{r}")], left);
    }

    [Fact]
    public void A_rank_that_never_sends_its_buffer_fails_the_all_reduce_naming_it()
    {
        var meeting = new RankMeeting(new FolderBlobStore(PhaseFixtures.TempFolder()), "attempt-1/", TimeSpan.FromSeconds(2));
        var groups = Join(meeting);
        using var buffer = ones(10);
        var e = Assert.Throws<TimeoutException>(() => groups[0].Members[0].AllReduce(buffer, ReduceOp.Sum));
        Assert.Contains("rank(s) 1, 2 of 3 never sent their buffer", e.Message);
    }
}
