using System.Diagnostics;
using System.Text.Json;
using CloudAssembly.Contracts;
using CloudAssembly.Training;
using CloudAssembly.Training.Engine;
using CloudAssembly.Pipeline;
using CloudAssembly.Reporting.Experiments;

namespace CloudAssembly.Cli.Experiments;

/// <summary>
/// Runs an <see cref="ExperimentPlan"/> in this process, phase after phase, exactly as a run plans them
/// (<see cref="PhasePlanner"/>): PT, the K modules and FT from the modules for Model Assembling; one E2E phase of the full
/// model for the baseline. Cost is CPU-seconds of this process while a phase runs, which a busy machine does not inflate
/// the way it does wall time; the baseline gets as many epochs as the assembling run cost, at its own FT's cost per epoch
/// (FT trains the same full model on the same images). Each finished pair is appended to <c>trials.jsonl</c> in the work
/// folder and its checkpoints deleted; an interrupted experiment started again skips the pairs already there.
/// </summary>
public sealed class ExperimentRunner(ExperimentPlan plan, Action<string> say)
{
    public IReadOnlyList<ExperimentTrial> Run(CancellationToken ct)
    {
        var trials = new List<ExperimentTrial>();
        foreach (var budget in plan.Budgets)
        {
            foreach (var seed in plan.Seeds)
                trials.AddRange(Pair(budget, seed, 1.0, ct));
        }
        foreach (var fraction in plan.DataFractions.Where(f => f < 1.0))
        {
            foreach (var seed in plan.Seeds)
                trials.AddRange(Pair(plan.SweepBudget, seed, fraction, ct));
        }
        return trials;
    }

    private string Journal => Path.Combine(plan.WorkFolder, "trials.jsonl");

    private IEnumerable<ExperimentTrial> Pair(int budget, int seed, double fraction, CancellationToken ct)
    {
        var done = Finished().Where(t => t.Budget == budget && t.Seed == seed && t.DataFraction == fraction).ToList();
        if (done.Count == 2)
            return done;
        var pair = Train(budget, seed, fraction, ct).ToList();
        Directory.CreateDirectory(plan.WorkFolder);
        File.AppendAllLines(Journal, pair.Select(t => JsonSerializer.Serialize(t)));
        return pair;
    }

    private IEnumerable<ExperimentTrial> Finished() =>
        File.Exists(Journal) ? File.ReadAllLines(Journal).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<ExperimentTrial>(l)!) : [];

    private IEnumerable<ExperimentTrial> Train(int budget, int seed, double fraction, CancellationToken ct)
    {
        var spec = plan.TrialSpec(budget, seed, fraction);
        var folder = Path.Combine(plan.WorkFolder, $"budget{budget}-seed{seed}-data{fraction * 100:F0}");
        // A phase resumes from what its folder holds; a trial measured again must train from nothing.
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
        var (assembling, ftPerEpoch) = Assemble(spec, folder, ct);
        yield return Report(assembling with { Budget = budget, Seed = seed, DataFraction = fraction });
        var epochs = Math.Max(1, (int)Math.Round(assembling.CpuSeconds / ftPerEpoch));
        var baseline = EndToEnd(spec with { Baseline = spec.Finetune with { Epochs = epochs } }, folder, ct);
        yield return Report(baseline with { Budget = budget, Seed = seed, DataFraction = fraction });
        Directory.Delete(folder, recursive: true);
    }

    private (ExperimentTrial Trial, double FtCpuPerEpoch) Assemble(RunSpec spec, string folder, CancellationToken ct)
    {
        var cost = new Cost();
        var pt = cost.Run(PhasePlanner.Pretrain(spec, Path.Combine(folder, "PT"), plan.Device), ct);
        var modules = Enumerable.Range(0, spec.NumModules)
            .Select(i => cost.Run(PhasePlanner.Module(spec, i, pt, Path.Combine(folder, $"MT_{i}"), plan.Device), ct)).ToList();
        var before = cost.CpuSeconds;
        var ft = cost.Run(PhasePlanner.Finetune(spec, modules, Path.Combine(folder, "FT"), plan.Device), ct);
        var trial = new ExperimentTrial(ExperimentTrial.Assembling, 0, 0, 0, spec.Finetune.Epochs, cost.CpuSeconds, cost.WallSeconds,
            Evaluate(spec, ft, Path.Combine(folder, "FT-eval"), ct));
        return (trial, (cost.CpuSeconds - before) / spec.Finetune.Epochs);
    }

    private ExperimentTrial EndToEnd(RunSpec spec, string folder, CancellationToken ct)
    {
        var cost = new Cost();
        var e2e = cost.Run(PhasePlanner.Baseline(spec, Path.Combine(folder, "E2E"), plan.Device), ct);
        return new ExperimentTrial(ExperimentTrial.EndToEnd, 0, 0, 0, spec.Baseline!.Epochs, cost.CpuSeconds, cost.WallSeconds,
            Evaluate(spec, e2e, Path.Combine(folder, "E2E-eval"), ct));
    }

    private double Evaluate(RunSpec spec, string checkpoint, string folder, CancellationToken ct) =>
        new PhaseRunner(PhasePlanner.Eval(spec, checkpoint, folder, plan.Device), PhaseDataFactory.Create).Run(ct).FinalEval!.Acc1;

    private ExperimentTrial Report(ExperimentTrial trial)
    {
        say($"{trial.Method,-16} budget {trial.Budget}  seed {trial.Seed}  data {trial.DataFraction * 100:F0}%  {trial.Epochs} epochs  " +
            $"{trial.CpuSeconds,7:F0} CPU-s  {trial.WallSeconds,6:F0} s  top-1 {trial.Acc1:F2}%");
        return trial;
    }

    /// <summary>CPU and wall seconds of the phases run through it; returns each phase's finished checkpoint.</summary>
    private sealed class Cost
    {
        public double CpuSeconds { get; private set; }
        public double WallSeconds { get; private set; }

        public string Run(TrainOptions options, CancellationToken ct)
        {
            using var process = Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var result = new PhaseRunner(options, PhaseDataFactory.Create).Run(ct);
            process.Refresh();
            CpuSeconds += (process.TotalProcessorTime - cpu).TotalSeconds;
            WallSeconds += clock.Elapsed.TotalSeconds;
            return result.FinishedCheckpoint
                ?? throw new InvalidOperationException($"Phase {result.Phase} in '{options.OutputDir}' ended without a finished checkpoint.");
        }
    }
}
