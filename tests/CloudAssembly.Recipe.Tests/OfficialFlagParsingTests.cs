namespace CloudAssembly.Recipe.Tests;

/// <summary>Flags parsed as main.py's argparse parses them (main.py:72, 80, 169 with engine.py:40, 50).</summary>
public class OfficialFlagParsingTests
{
    [Fact]
    public void Decay_epochs_takes_a_fraction_and_dr_is_decay_rate()
    {
        var flags = TrainFlags.Parse("--decay-epochs 2.5 --dr 0.3");
        Assert.Equal(2.5, flags.Parsed.GetValue<double>("--decay-epochs"));
        Assert.Equal(0.3, flags.Parsed.GetValue<double>("--decay-rate"));
    }

    [Theory]
    [InlineData("0", false)]
    [InlineData("1", true)]
    [InlineData("2", true)]
    [InlineData("3", true)]
    public void Amp_is_on_for_any_non_zero_use_amp(string value, bool on) =>
        Assert.Equal(on, TrainFlags.Parse($"--use_amp {value}").Options.UseAmp);
}
