using CloudAssembly.Training.Engine;

namespace CloudAssembly.Cli;

/// <summary>Live progress on the console: a step line that rewrites itself on a terminal, one line per epoch.</summary>
public sealed class ConsoleProgress
{
    private readonly Lock gate = new();
    private readonly bool terminal = !Console.IsOutputRedirected;
    private bool lineOpen;

    public void On(PhaseEvent e)
    {
        lock (gate)
        {
            switch (e)
            {
                case StepProgress s:
                    var text = $"{s.Phase,-6} epoch {s.Epoch + 1}/{s.Epochs}  step {s.Step}/{s.Steps}  loss {s.Loss:F4}  lr {s.Lr:G3}  {s.ImagesPerSecond:F0} img/s";
                    if (terminal)
                    {
                        Console.Write("\r" + text.PadRight(100));
                        lineOpen = true;
                    }
                    else if (s.Step == s.Steps)
                    {
                        Console.WriteLine(text);
                    }
                    break;
                case EpochCompleted c:
                    Close();
                    Console.WriteLine($"{c.Phase,-6} epoch {c.Log.Epoch + 1}/{c.Epochs} done: train loss {c.Log.TrainLoss:F4}  " +
                        $"top-1 {c.Log.TestAcc1:F2}%  top-5 {c.Log.TestAcc5:F2}%  test loss {c.Log.TestLoss:F4}  " +
                        $"{c.Log.EpochSeconds:F1} s  {c.Log.TrainImagesPerSecond:F0} img/s  max accuracy {c.MaxAcc1:F2}%");
                    break;
                case PhaseMessage m:
                    Close();
                    (m.IsWarning ? Console.Error : Console.Out).WriteLine($"{m.Phase,-6} {(m.IsWarning ? "warning: " : "")}{m.Text}");
                    break;
            }
        }
    }

    private void Close()
    {
        if (!lineOpen)
            return;
        Console.WriteLine();
        lineOpen = false;
    }
}
