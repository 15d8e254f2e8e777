namespace CloudAssembly.Training.Tests;

/// <summary>Runs <see cref="CollectionStressTests"/> apart from every other test class.</summary>
[CollectionDefinition(nameof(CollectionStressTests), DisableParallelization = true)]
public sealed class CollectionStressGroup;
