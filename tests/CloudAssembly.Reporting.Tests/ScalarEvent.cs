namespace CloudAssembly.Reporting.Tests;

/// <summary>One scalar of an event file: its tag, step, value (a 32-bit float in the file) and wall time.</summary>
public sealed record ScalarEvent(string Tag, long Step, double Value, double WallTime);
