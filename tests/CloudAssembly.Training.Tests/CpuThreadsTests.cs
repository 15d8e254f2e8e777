namespace CloudAssembly.Training.Tests;

/// <summary>
/// The thread budget and wait policy reach libtorch's OpenMP runtime, which reads them from the native environment
/// when it loads: checked in a child process (the CLI's bench) limited to one CPU, with libgomp asked to print the
/// settings it started with (<c>OMP_DISPLAY_ENV</c>).
/// </summary>
public class CpuThreadsTests
{
    [Fact]
    public void Libtorch_under_an_affinity_of_one_cpu_starts_one_passive_thread()
    {
        var (code, output) = MpiProcessTests.Launch("env",
        [
            "-u", "OMP_WAIT_POLICY", "-u", "OMP_NUM_THREADS", "OMP_DISPLAY_ENV=TRUE", "taskset", "-c", "0",
            "dotnet", MpiProcessTests.Cli, "bench", "--model", "vit_mini_patch4_28", "--divided_depths", "1", "1", "1", "1",
            "--batch_size", "2", "--nb_classes", "10", "--warmup", "0", "--steps", "1",
        ]);
        Assert.True(code == 0, $"bench exited with {code}:\n{output}");
        Assert.Contains("OMP_WAIT_POLICY = 'PASSIVE'", output);
        Assert.Contains("OMP_NUM_THREADS = '1'", output);
        Assert.Contains("cpu threads: 1 intra-op of a budget of 1", output);
    }
}
