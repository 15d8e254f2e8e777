using TorchSharp.Modules;

namespace CloudAssembly.Training.Optimization;

/// <summary>Parameters that share one weight decay, with the names the official optimizer factory saw.</summary>
public sealed record ParameterGroup(double WeightDecay, IReadOnlyList<(string Name, Parameter Parameter)> Parameters);
