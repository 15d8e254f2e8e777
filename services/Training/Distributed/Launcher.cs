namespace CloudAssembly.Training.Distributed;

/// <summary>
/// The world a process launcher announces in the environment: torchrun's <c>WORLD_SIZE</c>, <c>RANK</c> and
/// <c>LOCAL_RANK</c>, which the official <c>init_distributed_mode</c> (utils.py:266-269) reads in place of
/// <c>--world_size</c>, or <c>mpiexec</c>'s (MPICH hydra) <c>PMI_SIZE</c> and <c>PMI_RANK</c>.
/// </summary>
public sealed record Launcher(string Name, int WorldSize, int Rank, int? LocalRank)
{
    /// <summary>This process's launcher, or null when none started it.</summary>
    public static Launcher? FromEnvironment() => From(Environment.GetEnvironmentVariable);

    public static Launcher? From(Func<string, string?> variable)
    {
        int? Read(string name) => int.TryParse(variable(name), out var value) ? value : null;
        if (Read("WORLD_SIZE") is { } worldSize && Read("RANK") is { } rank)
            return new Launcher("torchrun", worldSize, rank, Read("LOCAL_RANK"));
        if (Read("PMI_SIZE") is { } size && Read("PMI_RANK") is { } pmiRank)
            return new Launcher("mpiexec", size, pmiRank, null);
        return null;
    }
}
