using CloudAssembly.Storage;
using CloudAssembly.Training.Distributed;
using CloudAssembly.Training.Engine;

namespace CloudAssembly.Training.Tests;

/// <summary>What a user can get wrong when asking for several ranks, and the rendezvous of several processes.</summary>
public class DistributedSetupTests
{
    [Fact]
    public void A_world_size_that_the_devices_do_not_divide_is_refused_with_the_numbers()
    {
        var options = FashionMnist.Phase(PhaseFixtures.TempFolder(), epochs: 1) with { WorldSize = 3, Devices = ["cpu", "cpu"] };
        var e = Assert.Throws<ArgumentException>(() => new PhaseRunner(options, PhaseDataFactory.Create).Run());
        Assert.Contains("--world_size 3 (first rank 0) does not split into processes of 2 --devices (cpu,cpu)", e.Message);
    }

    [Fact]
    public void Cpu_ranks_in_threads_and_processes_at_once_are_refused()
    {
        var options = FashionMnist.Phase(PhaseFixtures.TempFolder(), epochs: 1) with { WorldSize = 4, Devices = ["cpu", "cpu"] };
        var e = Assert.Throws<ArgumentException>(() => new PhaseRunner(options, PhaseDataFactory.Create).Run());
        Assert.Contains("CPU ranks are either threads of one process or MPI processes, not both", e.Message);
    }

    [Fact]
    public void A_missing_nccl_library_fails_with_one_line_saying_where_it_looked_and_what_to_install()
    {
        var options = FashionMnist.Phase(PhaseFixtures.TempFolder(), epochs: 1) with
        {
            Device = "cuda",
            WorldSize = 2,
            Nccl = "/nonexistent/nccl/libnccl.so.2",
            LibTorch = "/nonexistent/site-packages/torch/lib",
        };
        var e = Assert.Throws<DllNotFoundException>(() => new PhaseRunner(options, PhaseDataFactory.Create).Run());
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("NCCL (libnccl.so.2) was not found at /nonexistent/nccl/libnccl.so.2, /nonexistent/site-packages/nvidia/nccl/lib/libnccl.so.2, libnccl.so.2", e.Message);
        Assert.Contains("pip install nvidia-nccl-cu12", e.Message);
    }

    [Fact]
    public async Task Processes_meet_at_the_rendezvous_and_all_read_rank_zeros_payload()
    {
        var store = new FolderBlobStore(PhaseFixtures.TempFolder());
        const string Prefix = "runs/r/PT/attempt-1/rendezvous/";
        var first = new Rendezvous(store, Prefix, 3, TimeSpan.FromMinutes(1)).JoinAsync(0, 1, () => [1, 2, 3]);
        var rest = new Rendezvous(store, Prefix, 3, TimeSpan.FromMinutes(1)).JoinAsync(1, 2, () => [9]);
        Assert.Equal([1, 2, 3], await first);
        Assert.Equal([1, 2, 3], await rest);
    }

    [Fact]
    public async Task A_rendezvous_that_never_fills_times_out_naming_the_missing_ranks()
    {
        var store = new FolderBlobStore(PhaseFixtures.TempFolder());
        var e = await Assert.ThrowsAsync<TimeoutException>(() => new Rendezvous(store, "rdv/", 3, TimeSpan.FromMilliseconds(300)).JoinAsync(1, 1, () => [1]));
        Assert.Contains("rank(s) 0, 2 of 3 never joined and rank 0 published nothing", e.Message);
    }

    [Fact]
    public async Task A_rank_left_over_from_an_earlier_claim_is_refused_and_a_fresh_attempt_prefix_admits_it()
    {
        var store = new FolderBlobStore(PhaseFixtures.TempFolder());
        await Assert.ThrowsAsync<TimeoutException>(() => new Rendezvous(store, "attempt-1/", 2, TimeSpan.FromMilliseconds(100)).JoinAsync(1, 1, () => [1]));
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => new Rendezvous(store, "attempt-1/", 2, TimeSpan.FromMinutes(1)).JoinAsync(1, 1, () => [1]));
        Assert.Contains("already has rank 1: a process of this or an earlier attempt claimed it", e.Message);

        var zero = new Rendezvous(store, "attempt-2/", 2, TimeSpan.FromMinutes(1)).JoinAsync(0, 1, () => [7]);
        var one = new Rendezvous(store, "attempt-2/", 2, TimeSpan.FromMinutes(1)).JoinAsync(1, 1, () => [8]);
        Assert.Equal([7], await one);
        Assert.Equal([7], await zero);
    }
}
