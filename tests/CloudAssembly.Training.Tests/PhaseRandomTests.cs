using CloudAssembly.Model.Checkpoints;
using CloudAssembly.Training.Checkpoints;
using CloudAssembly.Training.Engine;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Tests;

/// <summary>
/// Each phase owns its random generators (initialisation, drop-path), so phases trained side by side in one process
/// (a trainer with two phases, an embedded run, ranks on threads, or test classes that xunit runs in parallel) draw
/// exactly what each draws alone.
/// </summary>
public class PhaseRandomTests
{
    private static TrainOptions Small(string folder, int seed) =>
        FashionMnist.Phase(folder, epochs: 1, trainLimit: 192, evalLimit: 64) with { Seed = seed, DropPath = 0.2 };

    private static Dictionary<string, Tensor> Trained(string folder)
    {
        var checkpoint = TorchLoadReader.Read(Path.Combine(folder, CheckpointDirectory.FinishedName));
        return TorchLoadReader.StateDict(checkpoint["model"], folder);
    }

    [Fact]
    public async Task Two_phases_trained_concurrently_in_one_process_equal_each_trained_alone()
    {
        var alone = new[] { 11, 12 }.Select(seed =>
        {
            var folder = PhaseFixtures.TempFolder();
            new PhaseRunner(Small(folder, seed), PhaseDataFactory.Create).Run();
            return Trained(folder);
        }).ToArray();

        var folders = new[] { PhaseFixtures.TempFolder(), PhaseFixtures.TempFolder() };
        await Task.WhenAll(
            Task.Run(() => new PhaseRunner(Small(folders[0], 11), PhaseDataFactory.Create).Run()),
            Task.Run(() => new PhaseRunner(Small(folders[1], 12), PhaseDataFactory.Create).Run()));

        for (var i = 0; i < 2; i++)
        {
            var together = Trained(folders[i]);
            Assert.Equal(alone[i].Keys.Order(), together.Keys.Order());
            foreach (var (name, t) in alone[i])
                Assert.True(t.eq(together[name]).all().item<bool>(), $"phase {i}: {name} differs between training alone and beside another phase");
        }
        Assert.False(alone[0]["head.weight"].eq(alone[1]["head.weight"]).all().item<bool>(), "the two seeds trained the same network");
    }
}
