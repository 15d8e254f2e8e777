namespace CloudAssembly.Data.Shards;

/// <summary>A source image left out of a dataset version because it could not be decoded.</summary>
public sealed record SkippedImage(string Split, string Source, string Reason);
