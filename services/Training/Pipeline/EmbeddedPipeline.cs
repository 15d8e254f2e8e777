using System.Diagnostics;
using CloudAssembly.Contracts;
using CloudAssembly.Training.Engine;
using static TorchSharp.torch;

namespace CloudAssembly.Training.Pipeline;

/// <summary>
/// The whole method in one process: PT → MT for each module → assemble and FT (→ the optional E2E baseline), each
/// phase in its own folder under the run's output (<c>PT/</c>, <c>MT_0/</c>, ..., <c>FT/</c>, <c>E2E/</c>) so a
/// rerun resumes phase by phase.
/// </summary>
public sealed class EmbeddedPipeline(RunSpec spec, string outputRoot, string device, Func<TrainOptions, Device, PhaseData> data,
    Action<PhaseEvent>? observer = null)
{
    public PipelineResult Run(CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        var results = new List<PhaseResult>();
        PhaseResult RunPhase(TrainOptions options)
        {
            var result = new PhaseRunner(options, data, observer).Run(cancellation);
            results.Add(result);
            return result;
        }

        var meta = RunPhase(PhasePlanner.Pretrain(spec, Path.Combine(outputRoot, "PT"), device));
        var modules = Enumerable.Range(0, spec.NumModules)
            .Select(i => RunPhase(PhasePlanner.Module(spec, i, meta.FinishedCheckpoint!, Path.Combine(outputRoot, $"MT_{i}"), device)).FinishedCheckpoint!)
            .ToList();
        RunPhase(PhasePlanner.Finetune(spec, modules, Path.Combine(outputRoot, "FT"), device));
        if (spec.Baseline is not null)
            RunPhase(PhasePlanner.Baseline(spec, Path.Combine(outputRoot, "E2E"), device));
        return new PipelineResult(results, clock.Elapsed.TotalSeconds);
    }
}
