using System.CommandLine;
using CloudAssembly.Cli.Experiments;
using CloudAssembly.Reporting;
using CloudAssembly.Reporting.Experiments;

namespace CloudAssembly.Cli.Commands;

/// <summary>
/// <c>cloudassembly experiment</c>: Model Assembling against end-to-end training of the same model on the same images at
/// matched cost, over budgets and seeds, plus a data-efficiency sweep; writes one report (table and figures).
/// </summary>
public static class ExperimentCommand
{
    public static Command Create()
    {
        var spec = new Option<FileInfo?>("--spec") { Description = "A run spec as JSON (RunSpec); the Fashion-MNIST demo when omitted. Its epochs are budget ×1." };
        var budgets = new Option<int[]>("--budgets") { Description = "Budgets as multiples of the spec's PT, MT and FT epochs.", DefaultValueFactory = _ => [1, 2, 3], AllowMultipleArgumentsPerToken = true };
        var seeds = new Option<int[]>("--seeds") { Description = "Seeds; every budget and fraction runs once per seed.", DefaultValueFactory = _ => [0, 1, 2], AllowMultipleArgumentsPerToken = true };
        var fractions = new Option<double[]>("--fractions") { Description = "Fractions of the training images for the data-efficiency sweep.", DefaultValueFactory = _ => [0.25, 0.5, 1.0], AllowMultipleArgumentsPerToken = true };
        var sweepBudget = new Option<int?>("--sweep-budget") { Description = "The budget the data-efficiency sweep runs at (default: the smallest)." };
        var trainLimit = new Option<int?>("--train-limit") { Description = "Training images at 100% (default: the spec's)." };
        var evalLimit = new Option<int?>("--eval-limit") { Description = "Images of the per-epoch evaluations (the final evaluation always uses the whole set)." };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };
        var output = new Option<string>("--output") { Description = "Folder for the trials' checkpoints and the report (report/).", DefaultValueFactory = _ => "experiment" };
        var command = new Command("experiment", "Model Assembling against end-to-end training at matched cost, over budgets, seeds and data fractions.")
        {
            spec, budgets, seeds, fractions, sweepBudget, trainLimit, evalLimit, device, output,
        };
        command.SetAction(parse => CommandErrors.Run(cancellation =>
        {
            var run = RunSpecFile.Load(parse.GetValue(spec));
            if (parse.GetValue(trainLimit) is { } limit)
                run = run with { TrainLimit = limit };
            if (parse.GetValue(evalLimit) is { } eval)
                run = run with { EvalLimit = eval };
            if (run.TrainLimit <= 0)
                throw new ArgumentException("The experiment needs a number of training images at 100%: pass --train-limit or set TrainLimit in the spec.");
            var folder = Path.GetFullPath(parse.GetValue(output)!);
            var plan = new ExperimentPlan(run, parse.GetValue(budgets)!, parse.GetValue(seeds)!, parse.GetValue(fractions)!,
                parse.GetValue(sweepBudget) ?? parse.GetValue(budgets)!.Min(), parse.GetValue(device)!, Path.Combine(folder, "trials"));
            var trials = new ExperimentRunner(plan, Console.WriteLine).Run(cancellation);
            var html = RunReportWriter.WriteTo(ExperimentReport.Render(run, trials), Path.Combine(folder, "report"));
            Console.WriteLine();
            Console.Write(ExperimentReport.Markdown(trials));
            Console.WriteLine($"report: {html}");
            return 0;
        }));
        return command;
    }
}
