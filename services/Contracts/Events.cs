namespace CloudAssembly.Contracts;

public sealed record DatasetReady(string RunId, DatasetRef Dataset, int TrainSamples, int ValSamples, bool Built);

/// <summary>A dataset build failed. <paramref name="Generation"/> is the request's (0 from senders before it existed), so a late failure of a request the Assembler has since made again changes nothing.</summary>
public sealed record DatasetFailed(string RunId, string Reason, int Generation = 0);

public sealed record PhaseStarted(string RunId, PhaseKey Phase, string AttemptId, string Trainer, DateTimeOffset At, int Attempt);

/// <summary>A phase's heartbeat with figures: epoch and step, the running loss, the last accuracy, throughput.</summary>
public sealed record PhaseProgress(string RunId, PhaseKey Phase, string AttemptId, int Epoch, int Epochs, int Step, int Steps,
    double Loss, double? Accuracy, double ImagesPerSecond, DateTimeOffset At);

public sealed record PhaseCompleted(string RunId, PhaseKey Phase, string AttemptId, string Checkpoint, PhaseMetrics Metrics);

/// <summary>
/// The attempt stopped because its trainer was told to (SIGTERM: a node drain, a rollout, a spot preemption), after
/// saving what it could. It is dispatched again and does not count against the phase's attempts.
/// <paramref name="WallSeconds"/> and <paramref name="DeviceSeconds"/> are what the attempt spent (0 from senders before they existed).
/// </summary>
public sealed record PhasePreempted(string RunId, PhaseKey Phase, string AttemptId, string Reason, double WallSeconds = 0, double DeviceSeconds = 0);

/// <summary>
/// The attempt failed; <paramref name="Retryable"/> says whether another attempt may cure it. <paramref name="WallSeconds"/>
/// and <paramref name="DeviceSeconds"/> are what the attempt spent (0 from senders before they existed).
/// </summary>
public sealed record PhaseFailed(string RunId, PhaseKey Phase, string AttemptId, string Reason, bool Retryable, double WallSeconds = 0,
    double DeviceSeconds = 0);

/// <summary>A submitted run was refused at the door (a bad spec); nothing was stored or started. <paramref name="Reason"/> is one sentence.</summary>
public sealed record RunRejected(string RunId, string Reason);

/// <summary>The run's outcome; <paramref name="Report"/> is the blob name of its <c>report.html</c>, written before this is sent.</summary>
public sealed record RunCompleted(string RunId, RunMetrics Metrics, string? Report = null);

public sealed record RunFailed(string RunId, string Reason);

public sealed record RunCancelled(string RunId, string Reason);
