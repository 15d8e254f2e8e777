using CloudAssembly.Contracts;

namespace CloudAssembly.Cli;

/// <summary>Live progress of a run from its events: a line when a phase starts, ends or fails, and its latest step on a terminal.</summary>
public sealed class ConsoleRunProgress
{
    private readonly Lock gate = new();
    private readonly bool terminal = !Console.IsOutputRedirected;
    private bool lineOpen;

    public void On(object message)
    {
        lock (gate)
        {
            switch (message)
            {
                case PhaseProgress { Accuracy: null } p when terminal:
                    Console.Write($"\r{p.Phase,-6} epoch {p.Epoch + 1}/{p.Epochs}  step {p.Step}/{p.Steps}  loss {p.Loss:F4}  {p.ImagesPerSecond:F0} img/s".PadRight(90));
                    lineOpen = true;
                    break;
                case PhaseProgress { Accuracy: { } accuracy } p:
                    Line($"{p.Phase,-6} epoch {p.Epoch + 1}/{p.Epochs} done: train loss {p.Loss:F4}  top-1 {accuracy:F2}%  {p.ImagesPerSecond:F0} img/s");
                    break;
                case DatasetReady d:
                    Line($"data   {d.Dataset.DataSet} {d.Dataset.DataPath}: {d.TrainSamples} training and {d.ValSamples} validation images{(d.Built ? " (built now)" : "")}");
                    break;
                case PhaseStarted s:
                    Line($"{s.Phase,-6} started on {s.Trainer} ({s.AttemptId})");
                    break;
                case PhaseCompleted c:
                    Line($"{c.Phase,-6} completed: top-1 {c.Metrics.Acc1:F2}%  top-5 {c.Metrics.Acc5:F2}%  {c.Metrics.WallSeconds:F1} s → {c.Checkpoint}");
                    break;
                case PhaseFailed f:
                    Line($"{f.Phase,-6} attempt failed{(f.Retryable ? " (will retry)" : "")}: {f.Reason}");
                    break;
                case RunFailed f:
                    Line($"run {f.RunId} failed: {f.Reason}");
                    break;
                case RunCancelled c:
                    Line($"run {c.RunId} cancelled: {c.Reason}");
                    break;
                case RunRejected r:
                    Line(r.Reason);
                    break;
            }
        }
    }

    private void Line(string text)
    {
        if (lineOpen)
            Console.WriteLine();
        lineOpen = false;
        Console.WriteLine(text);
    }
}
