using CloudAssembly.Contracts;
using CloudAssembly.Reporting;

namespace CloudAssembly.Reporting.Tests;

/// <summary>
/// A finished demo run with an end-to-end baseline, as the Assembler sees it: PT, four modules that ran two at a time,
/// FT, Eval and E2E, each with its metrics, times and log.txt.
/// </summary>
public static class SampleRun
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static RunReport Report() => RunReportBuilder.Build("sample", RunSpec.FashionMnistDemo(), Metrics(), Phases());

    public static IReadOnlyList<PhaseRecord> Phases() =>
    [
        Phase(PhaseKey.Pretrain, 0, 60, 2, 80),
        Phase(PhaseKey.Module(0), 60, 100, 1, 82),
        Phase(PhaseKey.Module(1), 60, 130, 1, 83),
        Phase(PhaseKey.Module(2), 100, 140, 1, 84),
        Phase(PhaseKey.Module(3), 130, 170, 1, 84.5),
        Phase(PhaseKey.Finetune, 172, 272, 2, 88, before: 30),
        new(PhaseKey.Eval, Start.AddSeconds(273), Start.AddSeconds(278), new PhaseMetrics(88.2, 99.5, 0.3, 0, 5, 5, 0), []),
        Phase(PhaseKey.Baseline, 0, 200, 5, 86),
    ];

    public static RunMetrics Metrics()
    {
        var phases = Phases().ToDictionary(p => p.Phase, p => p.Metrics);
        return new RunMetrics(88.2, 99.5, 30, 86, phases, 280, phases.Values.Sum(m => m.DeviceSeconds));
    }

    private static PhaseRecord Phase(PhaseKey key, double start, double end, int epochs, double acc1, double? before = null)
    {
        var seconds = end - start;
        var logs = Enumerable.Range(0, epochs).Select(e =>
            new EpochLog(1e-3, 1.5 - 0.2 * e, acc1 - 5 * (epochs - 1 - e), 99, 0.5, e, 400_000, 500, seconds / epochs)).ToList();
        return new PhaseRecord(key, Start.AddSeconds(start), Start.AddSeconds(end),
            new PhaseMetrics(acc1, 99, 0.5, epochs, seconds, seconds, 500, before), logs);
    }
}
