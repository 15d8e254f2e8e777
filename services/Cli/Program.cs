using System.CommandLine;
using CloudAssembly.Cli.Commands;

var root = new RootCommand("cloudassembly: Deep Model Assembling for vision transformers (PT → K × MT → assemble → FT).")
{
    RunCommand.Create(),
    TrainCommand.Create(),
    BenchCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
