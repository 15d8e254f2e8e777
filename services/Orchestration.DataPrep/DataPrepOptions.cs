namespace CloudAssembly.Orchestration.DataPrep;

/// <summary>DataPrep's settings (section <c>DataPrep</c>): its name in build leases and how often it renews them.</summary>
public sealed record DataPrepOptions
{
    public string Name { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);
}
