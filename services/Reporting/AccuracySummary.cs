namespace CloudAssembly.Reporting;

/// <summary>Top-1 of every network the run trained: the meta model (PT), each module (MT_i), the assembled model before and after FT.</summary>
public sealed record AccuracySummary(double? MetaModel, IReadOnlyList<double> Modules, double? AssembledBeforeFinetune,
    double? AssembledAfterFinetune, double Final);
