using System.CommandLine;
using CloudAssembly.Training;
using CloudAssembly.Training.Engine;

namespace CloudAssembly.Cli.Commands;

/// <summary><c>cloudassembly train</c>: one phase with the official <c>main.py</c> flags.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var arguments = new TrainArguments();
        var command = new Command("train", "Train or evaluate one phase (PT, MT, FT or E2E) with the official main.py flags; auto-resumes from --output_dir.");
        foreach (var option in arguments.All)
            command.Options.Add(option);
        command.SetAction(parse => CommandErrors.Run(cancellation =>
        {
            var options = arguments.Bind(parse);
            var progress = new ConsoleProgress();
            var result = new PhaseRunner(options, PhaseDataFactory.Create, progress.On).Run(cancellation);
            if (result.FinalEval is { } eval)
                Console.WriteLine($"{result.Phase}: top-1 {eval.Acc1:F2}%  top-5 {eval.Acc5:F2}%  ({result.WallSeconds:F1} s)");
            return 0;
        }));
        return command;
    }
}
