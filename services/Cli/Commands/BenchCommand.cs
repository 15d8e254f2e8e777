using System.CommandLine;
using CloudAssembly.Model;
using CloudAssembly.Training.Engine;

namespace CloudAssembly.Cli.Commands;

/// <summary><c>cloudassembly bench</c>: training-step throughput of a named model on a device.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model name.", DefaultValueFactory = _ => "vit_base_patch16_224" };
        var batch = new Option<int>("--batch_size") { Description = "Batch size.", DefaultValueFactory = _ => 64 };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };
        var libtorch = new Option<string?>("--libtorch") { Description = "Folder with CUDA libtorch (an installed PyTorch's torch/lib)." };
        var amp = new Option<int>("--use_amp") { Description = "1: bf16 compute with fp32 master weights.", DefaultValueFactory = _ => 0 };
        var steps = new Option<int>("--steps") { Description = "Timed steps (after warm-up).", DefaultValueFactory = _ => 20 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed warm-up steps.", DefaultValueFactory = _ => 5 };
        var depths = new Option<int[]>("--divided_depths") { Description = "Stage depths (default: the model's full depth as one stage).", AllowMultipleArgumentsPerToken = true };
        var classes = new Option<int>("--nb_classes") { Description = "Classes of the head.", DefaultValueFactory = _ => 1000 };
        var command = new Command("bench", "Images/s of forward + backward + AdamW for a model, batch size and device, and its peak memory.")
        {
            model, batch, device, libtorch, amp, steps, warmup, depths, classes, StorageBenchCommand.Create(), LoaderBenchCommand.Create(), AllReduceBenchCommand.Create(),
        };
        command.SetAction(parse => CommandErrors.Run(_ =>
        {
            var dev = TorchRuntime.Initialize(parse.GetValue(device)!, parse.GetValue(libtorch));
            var d = parse.GetValue(depths);
            var result = TrainingBenchmark.Run(parse.GetValue(model)!, parse.GetValue(batch), dev, parse.GetValue(amp) == 1,
                parse.GetValue(warmup), parse.GetValue(steps), parse.GetValue(classes), d is { Length: > 0 } ? d : null);
            Console.WriteLine($"model {result.Model}  device {result.Device}  batch {result.BatchSize}  bf16 {result.Bf16}  params {result.Parameters:N0}");
            Console.WriteLine($"train step: {result.ImagesPerSecond:F1} img/s  ({result.MillisecondsPerStep:F1} ms/step over {result.Steps} steps)");
            Console.WriteLine($"memory: {result.PeakMemoryMiB:F0} MiB ({result.MemoryKind})");
            Console.WriteLine($"cpu threads: {TorchSharp.torch.get_num_threads()} intra-op of a budget of {CpuThreads.Budget}");
            return 0;
        }));
        return command;
    }
}
