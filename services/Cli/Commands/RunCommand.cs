using System.CommandLine;
using System.Text.Json;
using CloudAssembly.Contracts;
using CloudAssembly.Training.Engine;
using CloudAssembly.Training.Pipeline;

namespace CloudAssembly.Cli.Commands;

/// <summary>
/// <c>cloudassembly run</c>: the whole method on one machine — PT, the K modules, assembly, FT and evaluation — with
/// live progress and a final table. Without arguments it runs the Fashion-MNIST demo on the CPU.
/// </summary>
public static class RunCommand
{
    public static Command Create()
    {
        var spec = new Option<FileInfo?>("--spec") { Description = "A run spec as JSON (RunSpec); the Fashion-MNIST demo when omitted." };
        var output = new Option<string>("--output_dir") { Description = "Where the phases write (PT/, MT_i/, FT/); a rerun resumes.", DefaultValueFactory = _ => "runs/fmnist-demo" };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };
        var libtorch = new Option<string?>("--libtorch") { Description = "Folder with CUDA libtorch (an installed PyTorch's torch/lib)." };
        var dataPath = new Option<string?>("--data-path") { Description = "Override the spec's dataset folder." };
        var trainLimit = new Option<int?>("--train-limit") { Description = "Train each phase on this many samples (0: all)." };
        var baseline = new Option<bool>("--e2e-baseline") { Description = "Also train the full model end to end with the FT recipe, for comparison." };
        var command = new Command("run", "Run the whole pipeline (PT → K × MT → assemble → FT → eval) on this machine.")
        {
            spec, output, device, libtorch, dataPath, trainLimit, baseline,
        };
        command.SetAction(parse => CommandErrors.Run(cancellation =>
        {
            var run = Load(parse.GetValue(spec));
            if (parse.GetValue(dataPath) is { } path)
                run = run with { DataPath = path };
            if (parse.GetValue(trainLimit) is { } limit)
                run = run with { TrainLimit = limit };
            if (parse.GetValue(baseline))
                run = run with { Baseline = run.Finetune with { Epochs = run.Pretrain.Epochs + run.Modules.Epochs + run.Finetune.Epochs } };
            if (parse.GetValue(libtorch) is { } lib)
                Environment.SetEnvironmentVariable(CloudAssembly.Model.TorchRuntime.LibTorchVariable, lib);
            var progress = new ConsoleProgress();
            var outputRoot = parse.GetValue(output)!;
            Console.WriteLine($"Deep Model Assembling: {run.Model}, {run.NumModules} modules [{string.Join(' ', run.Depths)}], " +
                $"meta [{string.Join(' ', run.MetaDepths)}], {run.DataSet} from {run.DataPath} → {outputRoot}");
            var result = new EmbeddedPipeline(run, outputRoot, parse.GetValue(device)!, PhaseDataFactory.Create, progress.On).Run(cancellation);
            RunReport.Print(result, Console.Out);
            return 0;
        }));
        return command;
    }

    private static RunSpec Load(FileInfo? file)
    {
        if (file is null)
            return RunSpec.FashionMnistDemo();
        if (!file.Exists)
            throw new FileNotFoundException($"Run spec '{file.FullName}' does not exist.");
        try
        {
            return JsonSerializer.Deserialize<RunSpec>(File.ReadAllText(file.FullName), new JsonSerializerOptions(JsonSerializerDefaults.Web))
                   ?? throw new InvalidDataException($"Run spec '{file.FullName}' is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Run spec '{file.FullName}' is not valid JSON for a RunSpec: {e.Message}");
        }
    }
}
