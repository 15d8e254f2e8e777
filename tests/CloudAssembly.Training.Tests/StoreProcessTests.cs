using System.Diagnostics;
using Xunit.Abstractions;

namespace CloudAssembly.Training.Tests;

/// <summary>
/// <c>cloudassembly train --world_size 2 --rank R --rendezvous FOLDER</c> as two real processes on the CPU, started
/// by hand as trainer pods are (no <c>mpiexec</c>): they meet in the folder and all-reduce through it, and take the step
/// of two thread ranks (within float tolerance, as <see cref="MpiProcessTests"/> explains); a rank whose process dies
/// stops the other, naming it.
/// </summary>
public class StoreProcessTests(ITestOutputHelper log)
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

    [Fact]
    public async Task A_rank_killed_mid_epoch_stops_the_other_rank_naming_it_instead_of_waiting_out_the_rendezvous_timeout()
    {
        var meeting = PhaseFixtures.TempFolder();
        // Hundreds of steps, so the kill lands mid-epoch; a rendezvous timeout of 10 minutes, so only the heartbeat can stop rank 0 sooner.
        var flags = MpiProcessTests.Flags.ToArray();
        flags[Array.IndexOf(flags, "--train-limit") + 1] = "20000";
        Process Start(int rank)
        {
            var info = new ProcessStartInfo("dotnet",
                [MpiProcessTests.Cli, .. flags, "--device", "cpu", "--world_size", "2", "--rank", $"{rank}", "--rendezvous", meeting,
                 "--rendezvous-timeout", "600", "--output_dir", PhaseFixtures.TempFolder()])
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
            };
            return Process.Start(info)!;
        }
        using var rank0 = Start(0);
        using var rank1 = Start(1);
        var output = rank0.StandardOutput.ReadToEndAsync();
        var error = rank0.StandardError.ReadToEndAsync();
        _ = rank1.StandardOutput.ReadToEndAsync();
        _ = rank1.StandardError.ReadToEndAsync();
        try
        {
            // Mid-epoch: both ranks have all-reduced the gradients of a few steps.
            while (!Directory.Exists(Path.Combine(meeting, "allreduce", "5")))
            {
                Assert.False(rank0.HasExited || rank1.HasExited, $"a rank ended before step 5:\n{(rank0.HasExited ? await output + await error : "")}");
                await Task.Delay(100);
            }

            rank1.Kill();
            var sinceKill = Stopwatch.StartNew();
            using var hangGuard = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await rank0.WaitForExitAsync(hangGuard.Token);
            log.WriteLine($"rank 0 exited {sinceKill.Elapsed.TotalSeconds:F1} s after rank 1 was killed");

            Assert.Equal(2, rank0.ExitCode);
            Assert.Contains("error: Rank 1 of 2 sent no heartbeat for 30 s (its process stopped", await output + await error);
        }
        finally
        {
            foreach (var rank in new[] { rank0, rank1 })
                if (!rank.HasExited)
                    rank.Kill();
        }
    }
}
