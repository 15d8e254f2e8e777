using CloudAssembly.Training.Distributed;

namespace CloudAssembly.Recipe.Tests;

/// <summary>
/// The official <c>init_distributed_mode</c> (utils.py:266-269) takes the world size, rank and device from torchrun's
/// environment; under <c>mpiexec</c> the world is MPI's.
/// </summary>
public class LaunchFlagsTests
{
    private static Launcher? Environment(params (string Name, string Value)[] variables) =>
        Launcher.From(name => variables.FirstOrDefault(v => v.Name == name).Value);

    [Fact]
    public void Under_torchrun_world_size_rank_and_device_come_from_the_environment()
    {
        var flags = TrainFlags.Parse("--device cuda");
        var options = flags.Arguments.Bind(flags.Parsed, Environment(("WORLD_SIZE", "4"), ("RANK", "2"), ("LOCAL_RANK", "1")));
        Assert.Equal((4, 2, "cuda:1"), (options.WorldSize, options.Rank, options.Device));
    }

    [Fact]
    public void Under_mpiexec_the_world_is_the_number_of_processes_it_started()
    {
        var flags = TrainFlags.Parse("--device cpu");
        var options = flags.Arguments.Bind(flags.Parsed, Environment(("PMI_SIZE", "2"), ("PMI_RANK", "1")));
        Assert.Equal((2, 1, "cpu"), (options.WorldSize, options.Rank, options.Device));
    }

    [Fact]
    public void A_world_size_that_contradicts_the_launcher_is_refused_rather_than_training_two_rank_0s()
    {
        var flags = TrainFlags.Parse("--device cpu --world_size 1");
        var e = Assert.Throws<ArgumentException>(() => flags.Arguments.Bind(flags.Parsed, Environment(("PMI_SIZE", "2"), ("PMI_RANK", "1"))));
        Assert.Equal("--world_size 1 contradicts the 2 processes mpiexec started: pass --world_size 2 or leave it out.", e.Message);
    }

    [Fact]
    public void Without_a_launcher_the_flags_decide()
    {
        var flags = TrainFlags.Parse("--device cpu --world_size 3 --rank 2");
        var options = flags.Arguments.Bind(flags.Parsed, null);
        Assert.Equal((3, 2), (options.WorldSize, options.Rank));
    }
}
