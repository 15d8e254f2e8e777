using System.Diagnostics;
using CloudAssembly.Model.Checkpoints;
using CloudAssembly.Training.Checkpoints;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Tests;

/// <summary>
/// <c>mpiexec -n 2 cloudassembly train ... --world_size 2</c> as real processes (MPICH, eng/install-mpi.sh). Two
/// processes take the step two thread ranks take (which is the step of one rank on both halves:
/// <see cref="DataParallelTests"/>), with the official augmentation, mixup and drop-path on. Not bit for bit: the
/// thread ranks share libtorch's intra-op pool, which changes some kernels' summation order in the last bit.
/// </summary>
public class MpiProcessTests
{
    internal static readonly string[] Flags =
    [
        "train", "--phase", "PT", "--model", "vit_mini_patch4_28", "--divided_depths", "1", "1", "1", "1", "--input-size", "28",
        "--data-set", "FMNIST", "--data-path", FashionMnist.Path, "--epochs", "1", "--warmup-epochs", "0", "--batch_size", "32",
        "--train-limit", "64", "--eval-limit", "32", "--num_workers", "1", "--no-repeated-aug", "--seed", "3",
    ];

    internal static string Cli
    {
        get
        {
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var dll = Path.Combine(dir.FullName, "services", "Cli", "bin", configuration, "net10.0", "cloudassembly.dll");
                if (File.Exists(dll))
                    return dll;
            }
            throw new FileNotFoundException("services/Cli is not built: build the solution first.");
        }
    }

    internal static (int ExitCode, string Output) Launch(string command, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(command, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    [Fact]
    public void Two_mpi_processes_take_the_step_of_two_thread_ranks()
    {
        var processes = PhaseFixtures.TempFolder();
        var (code, output) = Launch("mpiexec", ["-n", "2", "dotnet", Cli, .. Flags, "--device", "cpu", "--world_size", "2", "--output_dir", processes]);
        Assert.True(code == 0, $"mpiexec exited with {code}:\n{output}");
        Assert.Contains("data-parallel over 2 ranks (MPI processes); effective batch 2 x 32 x 1 = 64", output);

        var threads = PhaseFixtures.TempFolder();
        (code, output) = Launch("dotnet", [Cli, .. Flags, "--devices", "cpu,cpu", "--output_dir", threads]);
        Assert.True(code == 0, $"--devices cpu,cpu exited with {code}:\n{output}");

        SameStep.Assert(processes, threads, "2 MPI processes and 2 thread ranks");
        Assert.Single(File.ReadAllLines(Path.Combine(processes, "log.txt")));
    }

    [Fact]
    public void World_size_two_on_the_cpu_without_mpiexec_or_devices_says_how_to_start_it()
    {
        var (code, output) = Launch("dotnet", [Cli, .. Flags, "--device", "cpu", "--world_size", "2", "--output_dir", PhaseFixtures.TempFolder()]);
        Assert.Equal(2, code);
        Assert.Contains("error: --world_size 2 on the CPU needs one process per rank started by MPI (mpiexec -n 2", output);
    }

    /// <summary>As the official code takes its world from the launcher (utils.py:266-269): without --world_size, mpiexec's two processes are ranks 0 and 1 of 2.</summary>
    [Fact]
    public void Under_mpiexec_the_world_size_defaults_to_the_processes_started()
    {
        var (code, output) = Launch("mpiexec", ["-n", "2", "dotnet", Cli, .. Flags, "--device", "cpu", "--output_dir", PhaseFixtures.TempFolder()]);
        Assert.True(code == 0, $"mpiexec exited with {code}:\n{output}");
        Assert.Contains("data-parallel over 2 ranks (MPI processes); effective batch 2 x 32 x 1 = 64", output);
    }

    [Fact]
    public void Under_mpiexec_a_world_size_of_one_is_refused_instead_of_two_rank_0s_sharing_one_output_dir()
    {
        var (code, output) = Launch("mpiexec", ["-n", "2", "dotnet", Cli, .. Flags, "--device", "cpu", "--world_size", "1", "--output_dir", PhaseFixtures.TempFolder()]);
        Assert.NotEqual(0, code);
        Assert.Contains("--world_size 1 contradicts the 2 processes mpiexec started: pass --world_size 2 or leave it out.", output);
    }
}
