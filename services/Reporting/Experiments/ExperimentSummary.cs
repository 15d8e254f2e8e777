namespace CloudAssembly.Reporting.Experiments;

/// <summary>One row of the experiment's table: a method at a budget and data fraction, over its seeds (mean ± sample sd).</summary>
public sealed record ExperimentSummary(string Method, int Budget, double DataFraction, int Seeds, double MeanAcc1, double SdAcc1,
    double MeanCpuSeconds, double SdCpuSeconds, double MeanEpochs)
{
    public static IReadOnlyList<ExperimentSummary> Of(IEnumerable<ExperimentTrial> trials) =>
    [
        .. trials.GroupBy(t => (t.Method, t.Budget, t.DataFraction))
            .OrderByDescending(g => g.Key.DataFraction).ThenBy(g => g.Key.Budget).ThenBy(g => g.Key.Method, StringComparer.Ordinal)
            .Select(g => new ExperimentSummary(g.Key.Method, g.Key.Budget, g.Key.DataFraction, g.Count(),
                g.Average(t => t.Acc1), Sd(g.Select(t => t.Acc1)), g.Average(t => t.CpuSeconds), Sd(g.Select(t => t.CpuSeconds)),
                g.Average(t => t.Epochs))),
    ];

    private static double Sd(IEnumerable<double> values)
    {
        var v = values.ToList();
        if (v.Count < 2)
            return 0;
        var mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Count - 1));
    }
}
