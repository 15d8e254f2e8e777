using CloudAssembly.Contracts;
using CloudAssembly.Reporting;

namespace CloudAssembly.Reporting.Tests;

/// <summary>
/// A finished demo run with an end-to-end baseline, as the Assembler sees it: PT (whose first attempt failed after 15 s
/// on trainer-a; trainer-b finished it), four modules that ran two at a time, FT, Eval and E2E, each with its metrics
/// (every attempt counted), times, log.txt and steps.txt (10 steps an epoch, sampled every other step).
/// </summary>
public static class SampleRun
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public const string FailureReason = "PT attempt 1 failed in the forward pass: c10::Error (the native text is in the trainer's log)";

    public const string TraceId = "0af7651916cd43dd8448eb211c80319c";

    /// <summary>The report, with fixed metadata (not this build's commit) so its rendering stays the same from commit to commit.</summary>
    public static RunReport Report(string runId = "sample", RunSpec? spec = null) =>
        RunReportBuilder.Build(runId, spec ?? RunSpec.FashionMnistDemo(), Metrics(), Phases(),
            new RunMetadata("Completed", Start.AddSeconds(-5), Start.AddSeconds(280), "1.0.0", "18b17ab78e50", TraceId,
                $"http://localhost:18888/traces/detail/{TraceId}"));

    public static IReadOnlyList<PhaseRecord> Phases() =>
    [
        PretrainWithAFailedAttempt(),
        Phase(PhaseKey.Module(0), 60, 100, 1, 82),
        Phase(PhaseKey.Module(1), 60, 130, 1, 83),
        Phase(PhaseKey.Module(2), 100, 140, 1, 84),
        Phase(PhaseKey.Module(3), 130, 170, 1, 84.5),
        Phase(PhaseKey.Finetune, 172, 272, 2, 88, before: 30),
        new(PhaseKey.Eval, Start.AddSeconds(273), Start.AddSeconds(278), new PhaseMetrics(88.2, 99.5, 0.3, 0, 5, 5, 0), []) { Trainer = "trainer-a" },
        Phase(PhaseKey.Baseline, 0, 200, 5, 86),
    ];

    public static RunMetrics Metrics()
    {
        var phases = Phases().ToDictionary(p => p.Phase, p => p.Metrics);
        return new RunMetrics(88.2, 99.5, 30, 86, phases, 280, phases.Values.Sum(m => m.DeviceSeconds), phases.Values.Sum(m => m.LostDeviceSeconds));
    }

    /// <summary>PT from 0 to 60 s: attempt 1 failed at 15 s, attempt 2 ran from 15 to 60 s; the phase's cost counts both.</summary>
    private static PhaseRecord PretrainWithAFailedAttempt()
    {
        var finished = Phase(PhaseKey.Pretrain, 15, 60, 2, 80);
        return finished with
        {
            Metrics = finished.Metrics with { WallSeconds = 60, DeviceSeconds = 60, LostWallSeconds = 15, LostDeviceSeconds = 15 },
            Lost = [new LostAttempt(1, LostAttemptEnd.Failed, "trainer-a", Start, Start.AddSeconds(15), 15, 15, FailureReason)],
            Trainer = "trainer-b",
            Attempt = 2,
        };
    }

    private static PhaseRecord Phase(PhaseKey key, double start, double end, int epochs, double acc1, double? before = null)
    {
        var seconds = end - start;
        var logs = Enumerable.Range(0, epochs).Select(e =>
            new EpochLog(1e-3, 1.5 - 0.2 * e, acc1 - 5 * (epochs - 1 - e), 99, 0.5, e, 400_000, 500, seconds / epochs)).ToList();
        var steps = Enumerable.Range(0, epochs).SelectMany(e => Enumerable.Range(1, 5).Select(i => 2 * i).Select(s =>
            new StepLog(e, s, 10, 1.6 - 0.2 * e - 0.02 * s + (90 - acc1) / 40, 1e-3 * (1 - 0.05 * (e * 10 + s) / epochs), 450 + s,
                Start.AddSeconds(start + seconds * (e + s / 10.0) / epochs).ToUnixTimeMilliseconds() / 1000.0))).ToList();
        return new PhaseRecord(key, Start.AddSeconds(start), Start.AddSeconds(end),
            new PhaseMetrics(acc1, 99, 0.5, epochs, seconds, seconds, 500, before), logs) { Steps = steps, Trainer = "trainer-0" };
    }
}
