using System.CommandLine;
using CloudAssembly.Cli.Commands;
using CloudAssembly.Training;

namespace CloudAssembly.Recipe.Tests;

/// <summary>A <c>cloudassembly train</c> command line, parsed and bound exactly as the command does it.</summary>
public sealed class TrainFlags
{
    private TrainFlags(string commandLine)
    {
        var command = new Command("train");
        foreach (var option in Arguments.All)
            command.Options.Add(option);
        Parsed = command.Parse(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(Parsed.Errors);
    }

    public TrainArguments Arguments { get; } = new();

    public ParseResult Parsed { get; }

    public TrainOptions Options => Arguments.Bind(Parsed);

    public static TrainFlags Parse(string commandLine) => new(commandLine);
}
