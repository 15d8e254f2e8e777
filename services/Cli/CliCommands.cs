using System.CommandLine;
using CloudAssembly.Cli.Commands;
using CloudAssembly.Cli.Commands.Cluster;

namespace CloudAssembly.Cli;

/// <summary>Every command of <c>cloudassembly</c>, as one tree.</summary>
public static class CliCommands
{
    public static RootCommand Root() => new("cloudassembly: Deep Model Assembling for vision transformers (PT → K × MT → assemble → FT).")
    {
        RunCommand.Create(),
        ExperimentCommand.Create(),
        TrainCommand.Create(),
        BenchCommand.Create(),
        DatasetCommand.Create(),
        SpecCommand.Create(),
        SubmitCommand.Create(),
        StatusCommand.Create(),
        WatchCommand.Create(),
        ListCommand.Create(),
        CancelCommand.Create(),
        DownloadCommand.Create(),
        ReportCommand.Create(),
    };
}
