using CloudAssembly.Data.Loading;
using CloudAssembly.Training.Loading;

namespace CloudAssembly.Training.Engine;

/// <summary>The loaders a phase trains and evaluates with, and the classes they label.</summary>
public sealed record PhaseData(BatchLoader Train, BatchLoader Val, IReadOnlyList<string> Classes)
{
    public int NumClasses => Classes.Count;
}
