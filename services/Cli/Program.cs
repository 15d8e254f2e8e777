using System.CommandLine;
using CloudAssembly.Cli.Commands;
using CloudAssembly.Cli.Commands.Cluster;

var root = new RootCommand("cloudassembly: Deep Model Assembling for vision transformers (PT → K × MT → assemble → FT).")
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
};
return await root.Parse(args).InvokeAsync();
