using System.CommandLine;
using System.Text.Json;
using CloudAssembly.Training;

namespace CloudAssembly.Recipe.Tests;

/// <summary><c>main_py_defaults</c>: every flag of the official argparse, by dest name, against <c>cloudassembly train</c>.</summary>
public class MainPyDefaultsTests
{
    [Fact]
    public void Every_official_flag_exists_with_the_official_default()
    {
        var ours = Defaults(TrainFlags.Parse(""));
        foreach (var official in RecipeReference.Section("main_py_defaults").EnumerateObject())
        {
            Assert.True(ours.TryGetValue(official.Name, out var value), $"`train` has no flag for main.py's {official.Name}.");
            Assert.True(SameDefault(official.Value, value), $"{official.Name}: main.py's default is {official.Value}, ours is {Show(value)}.");
        }
    }

    [Fact]
    public void The_bound_defaults_are_the_defaults_of_every_phase()
    {
        var bound = TrainFlags.Parse("").Options;
        var defaults = new TrainOptions();
        Assert.Equal(defaults, bound with { Depths = defaults.Depths, IncubationModels = defaults.IncubationModels });
        Assert.Empty(bound.Depths);
        Assert.Empty(bound.IncubationModels);
    }

    /// <summary>Our defaults by argparse dest: <c>--drop-path</c> → drop_path; <c>--no-pin-mem</c> stores false into pin_mem.</summary>
    private static Dictionary<string, object?> Defaults(TrainFlags flags)
    {
        var values = new Dictionary<string, object?>();
        var options = flags.Arguments.All.ToList();
        foreach (var option in options)
        {
            var dest = option.Name.TrimStart('-').Replace('-', '_');
            if (dest.StartsWith("no_", StringComparison.Ordinal))
                values[dest[3..]] = !(bool)Value(flags.Parsed, option)!;
            else if (!options.Any(o => o.Name == $"--no-{option.Name.TrimStart('-')}"))
                values[dest] = Value(flags.Parsed, option);
        }
        return values;
    }

    private static object? Value(ParseResult parsed, Option option) => option switch
    {
        Option<int> o => parsed.GetValue(o),
        Option<int?> o => parsed.GetValue(o),
        Option<double> o => parsed.GetValue(o),
        Option<double?> o => parsed.GetValue(o),
        Option<bool> o => parsed.GetValue(o),
        Option<string> o => parsed.GetValue(o),
        Option<int[]> o => parsed.GetValue(o),
        Option<double[]> o => parsed.GetValue(o),
        Option<string[]> o => parsed.GetValue(o),
        _ => throw new InvalidOperationException($"{option.Name} has a type this test does not read."),
    };

    // argparse's "nothing given" is None, or '' for string flags (incubation_models is a nargs='+' string flag).
    private static bool SameDefault(JsonElement official, object? ours) => official.ValueKind switch
    {
        JsonValueKind.Null => ours is null or Array { Length: 0 },
        JsonValueKind.String when official.GetString() == "" => ours is null or "" or Array { Length: 0 },
        JsonValueKind.String => ours is string s && s == official.GetString(),
        JsonValueKind.Number => ours is int or double && Convert.ToDouble(ours) == official.GetDouble(),
        JsonValueKind.True or JsonValueKind.False => ours is bool b && b == official.GetBoolean(),
        _ => false,
    };

    private static string Show(object? value) => value switch
    {
        null => "null",
        Array a => $"[{string.Join(' ', a.Cast<object>())}]",
        _ => value.ToString()!,
    };
}
