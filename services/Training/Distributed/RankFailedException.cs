namespace CloudAssembly.Training.Distributed;

/// <summary>A rank stopped because another rank of the same phase failed (the first rank's error is the cause).</summary>
public sealed class RankFailedException(string message) : Exception(message);
