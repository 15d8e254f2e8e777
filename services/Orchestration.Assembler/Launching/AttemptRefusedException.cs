namespace CloudAssembly.Orchestration.Assembler.Launching;

/// <summary>The cluster refused to run an attempt for a reason another try will not cure (the API server's message, in one line).</summary>
public sealed class AttemptRefusedException(string message, Exception? inner = null) : Exception(message, inner);
