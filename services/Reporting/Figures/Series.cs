namespace CloudAssembly.Reporting.Figures;

/// <summary>One line of a figure: its legend text and its points.</summary>
public sealed record Series(string Label, double[] Xs, double[] Ys);
