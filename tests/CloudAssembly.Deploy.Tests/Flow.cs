namespace CloudAssembly.Deploy.Tests;

/// <summary>A connection from one endpoint to a port of another.</summary>
public sealed record Flow(string From, string To, int Port, string Protocol = "TCP")
{
    public override string ToString() => $"{From} -> {To}:{Port}/{Protocol}";
}
