using CloudAssembly.Contracts;

namespace CloudAssembly.Reporting;

/// <summary>
/// Turns a finished run's phases into its report's numbers: curves, attempts, the cost ledger (every attempt counted),
/// accuracies and the baseline comparison.
/// </summary>
public static class RunReportBuilder
{
    public static RunReport Build(string runId, RunSpec spec, RunMetrics metrics, IReadOnlyList<PhaseRecord> phases, RunMetadata? run = null)
    {
        var origin = phases.SelectMany(p => p.Lost.Select(a => a.StartedAt).Prepend(p.StartedAt)).Where(t => t is not null).Min();
        var summaries = phases.OrderBy(p => p.Phase).Select(p => Summarize(p, origin)).ToList();
        var byName = summaries.ToDictionary(s => s.Phase);
        var modules = summaries.Where(s => s.Phase.Kind == PhaseKind.MT).ToList();
        var accuracy = new AccuracySummary(byName.GetValueOrDefault(PhaseKey.Pretrain)?.Acc1, [.. modules.Select(m => m.Acc1)],
            metrics.AssembledAcc1BeforeFinetune, byName.GetValueOrDefault(PhaseKey.Finetune)?.Acc1, metrics.Acc1);
        var baseline = byName.GetValueOrDefault(PhaseKey.Baseline);
        var assemblingCost = summaries.Where(s => s.Phase.Kind != PhaseKind.E2E).Sum(s => s.DeviceSeconds);
        var comparison = baseline is null ? null
            : new BaselineComparison(metrics.Acc1, assemblingCost, baseline.Acc1, baseline.DeviceSeconds);
        return new RunReport(runId, spec, summaries, Ledger(summaries, metrics), accuracy, comparison) { Run = run, StartedAt = origin };
    }

    private static PhaseSummary Summarize(PhaseRecord p, DateTimeOffset? origin)
    {
        var m = p.Metrics;
        // log.txt has each epoch's wall time; the phase's device-seconds are shared out in the same proportion (what
        // lost attempts spent is spent before the epoch that follows them, so it is shared out too).
        var logged = p.Epochs.Sum(e => e.EpochSeconds);
        var spent = 0.0;
        var curve = new List<CurvePoint>();
        foreach (var e in p.Epochs)
        {
            spent += logged > 0 ? m.DeviceSeconds * e.EpochSeconds / logged : m.DeviceSeconds / p.Epochs.Count;
            curve.Add(new CurvePoint(e.Epoch, e.TrainLoss, e.TestAcc1, e.TrainLr, spent));
        }
        var attempts = p.Lost.Select(a => new AttemptSummary(a.Attempt, Outcome(a.End), a.Trainer, Offset(a.StartedAt, origin), Offset(a.EndedAt, origin),
                a.WallSeconds, a.DeviceSeconds, a.Reason))
            .Append(new AttemptSummary(p.Attempt, AttemptSummary.Completed, p.Trainer, Offset(p.StartedAt, origin), Offset(p.CompletedAt, origin),
                m.WallSeconds - m.LostWallSeconds, m.DeviceSeconds - m.LostDeviceSeconds, null))
            .ToList();
        var start = attempts.Select(a => a.StartSeconds).Where(s => s is not null).DefaultIfEmpty(null).Min();
        return new PhaseSummary(p.Phase, start, Offset(p.CompletedAt, origin), m.WallSeconds, m.DeviceSeconds,
            m.Epochs, m.Acc1, m.Acc5, m.Acc1BeforeTraining, curve)
        {
            LostDeviceSeconds = m.LostDeviceSeconds,
            Steps = p.Steps,
            Attempts = attempts,
        };
    }

    private static string Outcome(LostAttemptEnd end) => end switch
    {
        LostAttemptEnd.Failed => "failed",
        LostAttemptEnd.Preempted => "preempted",
        _ => "lease expired",
    };

    private static double? Offset(DateTimeOffset? at, DateTimeOffset? origin) => at is { } a && origin is { } o ? (a - o).TotalSeconds : null;

    private static CostLedger Ledger(IReadOnlyList<PhaseSummary> phases, RunMetrics metrics)
    {
        var chain = new List<PhaseSummary>();
        chain.AddRange(phases.Where(p => p.Phase.Kind == PhaseKind.PT));
        if (phases.Where(p => p.Phase.Kind == PhaseKind.MT).MaxBy(p => p.WallSeconds) is { } slowest)
            chain.Add(slowest);
        chain.AddRange(phases.Where(p => p.Phase.Kind is PhaseKind.FT or PhaseKind.Eval));
        if (phases.FirstOrDefault(p => p.Phase.Kind == PhaseKind.E2E) is { } baseline && baseline.WallSeconds > chain.Sum(p => p.WallSeconds))
            chain = [baseline];
        return new CostLedger(metrics.DeviceSeconds, metrics.WallSeconds, [.. chain.Select(p => p.Phase)], chain.Sum(p => p.WallSeconds),
            phases.Sum(p => p.LostDeviceSeconds));
    }
}
