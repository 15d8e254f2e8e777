namespace CloudAssembly.Training.Distributed;

/// <summary>The replicas of a data-parallel phase are no longer bitwise identical: the phase stops rather than train on.</summary>
public sealed class ReplicaDriftException(string message) : Exception(message);
