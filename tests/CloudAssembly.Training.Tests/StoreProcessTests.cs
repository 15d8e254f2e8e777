namespace CloudAssembly.Training.Tests;

/// <summary>
/// <c>cloudassembly train --world_size 2 --rank R --rendezvous FOLDER</c> as two real processes on the CPU, started
/// by hand as trainer pods are (no <c>mpiexec</c>): they meet in the folder and all-reduce through it, and take the step
/// of two thread ranks (within float tolerance, as <see cref="MpiProcessTests"/> explains).
/// </summary>
public class StoreProcessTests
{
    [Fact]
    public async Task Two_processes_meeting_in_a_folder_take_the_step_of_two_thread_ranks()
    {
        var output = PhaseFixtures.TempFolder();
        var meeting = PhaseFixtures.TempFolder();
        var ranks = Enumerable.Range(0, 2).Select(r => Task.Run(() => MpiProcessTests.Launch("dotnet",
            [MpiProcessTests.Cli, .. MpiProcessTests.Flags, "--device", "cpu", "--world_size", "2", "--rank", $"{r}", "--rendezvous", meeting,
             "--rendezvous-timeout", "300", "--output_dir", r == 0 ? output : PhaseFixtures.TempFolder()]))).ToArray();
        var results = await Task.WhenAll(ranks);
        foreach (var (code, log) in results)
            Assert.True(code == 0, $"a rank exited with {code}:\n{log}");
        Assert.Contains("data-parallel over 2 ranks (blob-store all-reduce); effective batch 2 x 32 x 1 = 64", results[0].Output);

        var threads = PhaseFixtures.TempFolder();
        var (threadCode, threadLog) = MpiProcessTests.Launch("dotnet", [MpiProcessTests.Cli, .. MpiProcessTests.Flags, "--devices", "cpu,cpu", "--output_dir", threads]);
        Assert.True(threadCode == 0, $"--devices cpu,cpu exited with {threadCode}:\n{threadLog}");

        SameStep.Assert(output, threads, "2 processes meeting in a folder and 2 thread ranks");
        Assert.Single(File.ReadAllLines(Path.Combine(output, "log.txt")));
    }
}
