using System.CommandLine;
using CloudAssembly.Cli.Progress;
using CloudAssembly.Contracts;
using CloudAssembly.Cli.Client;
using CloudAssembly.Orchestration.Messaging;
using CloudAssembly.Orchestration.Runs;

namespace CloudAssembly.Cli.Commands;

/// <summary>
/// <c>cloudassembly run</c>: the whole method on this machine — PT, the K modules, assembly, FT and evaluation —
/// through the same services and messages as a cluster, in one process (in-memory transport, a folder as blob
/// storage), with live progress and a final table. Without arguments it runs the Fashion-MNIST demo on the CPU.
/// </summary>
public static class RunCommand
{
    public static Command Create()
    {
        var spec = new Option<FileInfo?>("--spec") { Description = "A run spec as JSON (RunSpec); the Fashion-MNIST demo when omitted." };
        var store = StoreOptions.RunStore;
        var runId = new Option<string>("--run-id") { Description = "The run's id; the same id again resumes (or reports) that run.", DefaultValueFactory = _ => "fmnist-demo" };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };
        var libtorch = new Option<string?>("--libtorch") { Description = "Folder with CUDA libtorch (an installed PyTorch's torch/lib)." };
        var dataPath = new Option<string?>("--data-path") { Description = "Override the spec's dataset folder." };
        var trainLimit = new Option<int?>("--train-limit") { Description = "Train each phase on this many samples (0: all)." };
        var baseline = new Option<bool>("--e2e-baseline") { Description = "Also train the full model end to end with the FT recipe for as many epochs as PT+MT+FT, for comparison." };
        var command = new Command("run", "Run the whole pipeline (PT → K × MT → assemble → FT → eval) on this machine.")
        {
            spec, store, runId, device, libtorch, dataPath, trainLimit, baseline,
        };
        command.SetAction(parse =>
        {
            var location = new BlobLocation(StoreOptions.Resolve(parse.GetValue(store), fallback: "."));
            string blobs;
            try
            {
                blobs = location.Folder is { } folder ? Path.Combine(Path.GetFullPath(folder), location.Container) : location.Open().Location;
            }
            catch (ArgumentException e)
            {
                // Before CommandErrors takes over: the interruption message below names where the blobs are.
                Console.Error.WriteLine($"error: {e.Message}");
                return CommandErrors.UserError;
            }
            var stopped = new Interruption($"stopped: every phase keeps its last epoch checkpoint in {blobs}; run the same command again to resume.",
                TimeSpan.FromSeconds(5));
            return CommandErrors.Run(async cancellation =>
            {
                var run = RunSpecFile.Load(parse.GetValue(spec));
                if (parse.GetValue(dataPath) is { } path)
                    run = run with { DataPath = path };
                if (parse.GetValue(trainLimit) is { } limit)
                    run = run with { TrainLimit = limit };
                if (parse.GetValue(baseline))
                    run = run with { Baseline = run.Finetune with { Epochs = run.Pretrain.Epochs + run.Modules.Epochs + run.Finetune.Epochs } };
                var id = parse.GetValue(runId)!;
                RunId.Validate(id);
                Console.WriteLine($"Deep Model Assembling run '{id}': {run.Model}, {run.NumModules} modules [{string.Join(' ', run.Depths)}], " +
                    $"meta [{string.Join(' ', run.MetaDepths)}], {run.DataSet} from {run.DataPath}; blobs in {blobs}");
                var outcome = await RunProgressDisplay.ShowAsync(onEvent =>
                    EmbeddedRun.RunAsync(run, id, location, parse.GetValue(device)!, parse.GetValue(libtorch), onEvent, cancellation));
                if (outcome is not RunCompleted completed)
                    return CommandErrors.UserError;
                RunReport.Print(completed, Console.Out, run);
                var finalModel = (await new RunStore(location.Open()).TryGetAsync(id, cancellation))?.Run.Phase(PhaseKey.Finetune).Checkpoint!;
                Console.WriteLine($"final model: {Path.Combine(blobs, finalModel)}");
                if (completed.Report is { } report)
                    Console.WriteLine($"report: {Path.Combine(blobs, report)}");
                return 0;
            }, stopped);
        });
        return command;
    }
}
