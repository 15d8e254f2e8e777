namespace CloudAssembly.Model;

/// <summary>A checkpoint that was read fine but belongs to another model, another depth split or another stage.</summary>
public sealed class CheckpointMismatchException(string message) : Exception(message);
