using CloudAssembly.Contracts;
using CloudAssembly.Orchestration.Runs;

namespace CloudAssembly.Orchestration.Tests;

public class AttemptArgumentsTests
{
    [Fact]
    public void A_one_shot_trainer_reads_back_exactly_the_attempt_the_assembler_wrote()
    {
        var attempt = new AttemptArguments("run-7", PhaseKey.Module(3), "run-7.MT_3.2", 4);

        Assert.Equal(attempt, AttemptArguments.Parse(attempt.ToArgs()));
        Assert.True(AttemptArguments.AreGiven(attempt.ToArgs()));
        Assert.False(AttemptArguments.AreGiven(["--urls", "http://127.0.0.1:0"]));
    }

    [Theory]
    [InlineData("--phase MT_01", "--phase 'MT_01' is not a phase")]
    [InlineData("--generation 0", "--generation '0' is not a positive number")]
    [InlineData("--run-id Run_7", "Run id 'Run_7' is not valid")]
    [InlineData("--gpus 8", "Unknown attempt argument --gpus")]
    public void A_wrong_argument_is_refused_naming_it(string change, string expected)
    {
        var args = new AttemptArguments("run-7", PhaseKey.Module(3), "run-7.MT_3.2", 4).ToArgs().ToList();
        var (name, value) = (change.Split(' ')[0], change.Split(' ')[1]);
        var at = args.IndexOf(name);
        if (at < 0)
            args.AddRange([name, value]);
        else
            args[at + 1] = value;

        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => AttemptArguments.Parse(args)).Message);
    }

    [Fact]
    public void A_missing_argument_is_named()
    {
        Assert.Contains("--generation is missing", Assert.Throws<ArgumentException>(() =>
            AttemptArguments.Parse(["attempt", "--run-id", "r", "--phase", "PT", "--attempt-id", "r.PT.1"])).Message);
    }
}
