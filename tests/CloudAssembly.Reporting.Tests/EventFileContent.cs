namespace CloudAssembly.Reporting.Tests;

/// <summary>One event file as TensorBoard's protos read it: its path under the log folder, its file version and its scalars.</summary>
public sealed record EventFileContent(string Path, string FileVersion, IReadOnlyList<ScalarEvent> Scalars);
