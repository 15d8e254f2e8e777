using CloudAssembly.Storage;
using CloudAssembly.Training.Distributed;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Tests;

/// <summary>
/// A NCCL rank blocked in an all-reduce that its peers never join is freed by <see cref="NcclWatch"/>'s abort and fails
/// saying why. No GPU here: NCCL is <see cref="UnansweredNccl"/>, which blocks until aborted as a real communicator
/// does; the real bindings are only checked against <c>nccl.h</c> (<see cref="NcclHeaderTests"/>), never run.
/// </summary>
public class NcclWatchTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    /// <summary>Rank 0's all-reduce on its own thread, as the rank's trainer thread would make it; the task ends with what the call threw.</summary>
    private static Task AllReduceOnRankThread(ICollective rank)
    {
        var done = new TaskCompletionSource();
        new Thread(() =>
        {
            try
            {
                using var buffer = ones(4);
                rank.AllReduce(buffer, ReduceOp.Sum);
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }).Start();
        return done.Task;
    }

    [Fact]
    public async Task A_collective_blocked_on_a_silent_peer_is_aborted_and_fails_naming_the_lost_rank()
    {
        var nccl = new UnansweredNccl();
        // Rank 1 of 2 is another process that never proves itself alive in the meeting.
        var meeting = new RankMeeting(new FolderBlobStore(PhaseFixtures.TempFolder()), "", TimeSpan.FromMinutes(10));
        var group = new NcclGroup(nccl, [(0, 10, 0)], worldSize: 2, meeting, CancellationToken.None);

        var failure = await Assert.ThrowsAsync<RankFailedException>(() => AllReduceOnRankThread(group.Members[0]).WaitAsync(HangGuard));
        group.Dispose();

        Assert.Contains("Rank 1 of 2 sent no heartbeat", failure.Message);
        Assert.Equal(["allreduce 10", "abort 10"], nccl.Calls);
    }

    [Fact]
    public async Task Cancelling_the_attempt_aborts_a_blocked_collective_and_cancels_the_rank()
    {
        var nccl = new UnansweredNccl();
        using var attempt = new CancellationTokenSource();
        var group = new NcclGroup(nccl, [(0, 10, 0), (1, 11, 1)], worldSize: 2, meeting: null, attempt.Token);
        var call = AllReduceOnRankThread(group.Members[0]);
        nccl.Blocked.Wait();

        attempt.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(HangGuard));
        group.Dispose();
        Assert.Equal(["allreduce 10", "abort 10", "abort 11"], nccl.Calls);
    }

    [Fact]
    public async Task An_asynchronous_nccl_error_aborts_the_blocked_collective_and_fails_the_rank_with_it()
    {
        var nccl = new UnansweredNccl();
        var group = new NcclGroup(nccl, [(0, 10, 0)], worldSize: 1, meeting: null, CancellationToken.None);
        var call = AllReduceOnRankThread(group.Members[0]);
        nccl.Blocked.Wait();

        nccl.Error = NcclResult.RemoteError;

        var failure = await Assert.ThrowsAsync<RankFailedException>(() => call.WaitAsync(HangGuard));
        group.Dispose();
        Assert.Contains("NCCL reported 'error 6' (NCCL error 6) on the communicator of rank 0", failure.Message);
        Assert.Equal(["allreduce 10", "abort 10"], nccl.Calls);
    }

    [Fact]
    public async Task A_failed_rank_frees_the_other_ranks_of_its_process_and_nothing_touches_the_aborted_communicators()
    {
        var nccl = new UnansweredNccl();
        var group = new NcclGroup(nccl, [(0, 10, 0), (1, 11, 1)], worldSize: 2, meeting: null, CancellationToken.None);
        var call = AllReduceOnRankThread(group.Members[0]);
        nccl.Blocked.Wait();

        group.Fail();

        var failure = await Assert.ThrowsAsync<RankFailedException>(() => call.WaitAsync(HangGuard));
        await Assert.ThrowsAsync<RankFailedException>(() => AllReduceOnRankThread(group.Members[1]).WaitAsync(HangGuard));
        group.Dispose();
        Assert.Contains("Another rank of this phase failed", failure.Message);
        Assert.Equal(["allreduce 10", "abort 10", "abort 11"], nccl.Calls);
    }

    [Fact]
    public void A_group_that_finished_destroys_its_communicators_without_aborting_them()
    {
        var nccl = new UnansweredNccl();
        var group = new NcclGroup(nccl, [(0, 10, 0), (1, 11, 1)], worldSize: 2, meeting: null, CancellationToken.None);

        group.Dispose();

        Assert.Equal(["destroy 10", "destroy 11"], nccl.Calls);
    }
}
