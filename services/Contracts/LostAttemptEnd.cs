namespace CloudAssembly.Contracts;

/// <summary>Why an attempt did not finish its phase: it failed, its trainer was told to stop, or its trainer went silent.</summary>
public enum LostAttemptEnd
{
    Failed,
    Preempted,
    LeaseExpired,
}
