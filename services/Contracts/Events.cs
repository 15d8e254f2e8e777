namespace CloudAssembly.Contracts;

public sealed record DatasetReady(string RunId, DatasetRef Dataset, int TrainSamples, int ValSamples, bool Built);

public sealed record DatasetFailed(string RunId, string Reason);

public sealed record PhaseStarted(string RunId, string Phase, string AttemptId, string Trainer, DateTimeOffset At, int Attempt);

/// <summary>A phase's heartbeat with figures: epoch and step, the running loss, the last accuracy, throughput.</summary>
public sealed record PhaseProgress(string RunId, string Phase, string AttemptId, int Epoch, int Epochs, int Step, int Steps,
    double Loss, double? Accuracy, double ImagesPerSecond, DateTimeOffset At);

public sealed record PhaseCompleted(string RunId, string Phase, string AttemptId, string Checkpoint, PhaseMetrics Metrics);

public sealed record PhaseFailed(string RunId, string Phase, string AttemptId, string Reason, bool Retryable);

public sealed record RunCompleted(string RunId, RunMetrics Metrics);

public sealed record RunFailed(string RunId, string Reason);

public sealed record RunCancelled(string RunId, string Reason);
