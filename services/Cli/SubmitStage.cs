namespace CloudAssembly.Cli;

/// <summary>How far <c>submit</c> got: what an interruption at that moment leaves behind in the cluster.</summary>
public enum SubmitStage
{
    NotSent,
    Sending,
    Sent,
    Accepted,
}
