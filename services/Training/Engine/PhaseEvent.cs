using CloudAssembly.Contracts;
namespace CloudAssembly.Training.Engine;

/// <summary>What a running phase reports: messages, step progress and finished epochs. <c>Phase</c> is a label such as <c>MT[2]</c>.</summary>
public abstract record PhaseEvent(string Phase);

public sealed record PhaseMessage(string Phase, string Text, bool IsWarning = false) : PhaseEvent(Phase);

public sealed record StepProgress(string Phase, int Epoch, int Epochs, int Step, int Steps, double Loss, double Lr, double ImagesPerSecond)
    : PhaseEvent(Phase);

/// <summary>An epoch is done; <c>MaxAcc1</c> is the best top-1 since this process started the phase, as the official loop tracks it.</summary>
public sealed record EpochCompleted(string Phase, EpochLog Log, int Epochs, string CheckpointPath, double MaxAcc1) : PhaseEvent(Phase);

/// <summary>
/// The phase stopped mid-epoch on a preemption request, after <c>Step</c> of <c>Steps</c> optimizer steps of
/// <c>Epoch</c>, and saved where it stopped in <c>CheckpointPath</c>; a resume continues from the next step.
/// </summary>
public sealed record StepCheckpointSaved(string Phase, int Epoch, int Step, int Steps, string CheckpointPath) : PhaseEvent(Phase);
