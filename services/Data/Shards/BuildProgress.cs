namespace CloudAssembly.Data.Shards;

/// <summary>How far a build is: source images of <see cref="Split"/> encoded so far, and shards started in it.</summary>
public sealed record BuildProgress(string Split, int Done, int Total, int Shards);
