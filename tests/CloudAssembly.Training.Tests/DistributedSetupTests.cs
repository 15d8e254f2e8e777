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
        var folder = PhaseFixtures.TempFolder();
        var first = Task.Run(() => new FileRendezvous(folder, 3, TimeSpan.FromMinutes(1)).Join(0, 1, () => [1, 2, 3]));
        var rest = Task.Run(() => new FileRendezvous(folder, 3, TimeSpan.FromMinutes(1)).Join(1, 2, () => [9]));
        Assert.Equal([1, 2, 3], await first);
        Assert.Equal([1, 2, 3], await rest);
    }

    [Fact]
    public void A_rendezvous_that_never_fills_times_out_naming_the_missing_ranks()
    {
        var folder = PhaseFixtures.TempFolder();
        var e = Assert.Throws<TimeoutException>(() => new FileRendezvous(folder, 3, TimeSpan.FromMilliseconds(300)).Join(1, 1, () => [1]));
        Assert.Contains("rank(s) 0, 2 of 3 never joined and rank 0 published nothing", e.Message);
    }

    [Fact]
    public void A_rank_that_joins_a_rendezvous_twice_is_rejected()
    {
        var folder = PhaseFixtures.TempFolder();
        Assert.Throws<TimeoutException>(() => new FileRendezvous(folder, 2, TimeSpan.FromMilliseconds(100)).Join(1, 1, () => [1]));
        var e = Assert.Throws<InvalidOperationException>(() => new FileRendezvous(folder, 2, TimeSpan.FromMinutes(1)).Join(1, 1, () => [1]));
        Assert.Contains("rank-1' already exists: another process claimed this rank", e.Message);
    }
}
