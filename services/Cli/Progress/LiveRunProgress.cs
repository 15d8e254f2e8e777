using CloudAssembly.Contracts;
using CloudAssembly.Cli.Client;
using Spectre.Console;

namespace CloudAssembly.Cli.Progress;

/// <summary>
/// A run's progress on a terminal: a bar per active phase (epoch, step, loss, img/s; Spectre's ETA beside it) and, above
/// the bars, a line for everything that happened. Bars are keyed by run and phase, so several runs can share one display.
/// </summary>
public sealed class LiveRunProgress(ProgressContext context)
{
    private readonly Lock gate = new();
    private readonly Dictionary<(string Run, PhaseKey Phase), ProgressTask> bars = [];

    public void On(object message)
    {
        lock (gate)
        {
            switch (message)
            {
                case PhaseStarted s:
                    Bar(s.RunId, s.Phase).Description = Markup.Escape($"{s.Phase,-6} attempt {s.Attempt} on {s.Trainer}");
                    break;
                case PhaseUnderway { Steps: > 0 } u:
                    var attached = Bar(u.RunId, u.Phase);
                    attached.MaxValue = (double)u.Epochs * u.Steps;
                    attached.Value = (double)u.Epoch * u.Steps + u.Step;
                    attached.Description = Markup.Escape($"{u.Phase,-6} epoch {u.Epoch + 1}/{u.Epochs}  step {u.Step}/{u.Steps}");
                    break;
                case PhaseProgress { Accuracy: null, Steps: > 0 } p:
                    var bar = Bar(p.RunId, p.Phase);
                    bar.MaxValue = (double)p.Epochs * p.Steps;
                    bar.Value = (double)p.Epoch * p.Steps + p.Step;
                    bar.Description = Markup.Escape($"{p.Phase,-6} epoch {p.Epoch + 1}/{p.Epochs}  step {p.Step}/{p.Steps}  loss {p.Loss:F3}  {p.ImagesPerSecond:F0} img/s");
                    break;
                case PhaseCompleted c:
                    End(c.RunId, c.Phase, $"{c.Phase,-6} completed", complete: true);
                    break;
                case PhaseFailed f:
                    End(f.RunId, f.Phase, $"{f.Phase,-6} attempt failed", complete: false);
                    break;
                case TrainerSilent s when bars.TryGetValue((s.RunId, s.Phase), out var silent) && !silent.IsFinished:
                    silent.Description = Markup.Escape($"{s.Phase,-6} no heartbeat from {s.Trainer} for {s.Silence.TotalSeconds:F0} s");
                    break;
                case PhaseRedispatched r:
                    End(r.RunId, r.Phase, $"{r.Phase,-6} attempt {r.Attempt - 1} lost", complete: false);
                    break;
                case RunCompleted or RunFailed or RunCancelled:
                    foreach (var open in bars.Values.Where(b => !b.IsFinished))
                        open.StopTask();
                    break;
            }
            if (RunEventText.Line(message) is { } line)
                AnsiConsole.MarkupLine(Markup.Escape(line));
        }
    }

    private ProgressTask Bar(string run, PhaseKey phase)
    {
        if (bars.TryGetValue((run, phase), out var bar) && !bar.IsFinished)
            return bar;
        return bars[(run, phase)] = context.AddTask(Markup.Escape(phase.ToString()), maxValue: 1);
    }

    private void End(string run, PhaseKey phase, string description, bool complete)
    {
        if (!bars.TryGetValue((run, phase), out var bar) || bar.IsFinished)
            return;
        if (complete)
            bar.Value = bar.MaxValue;
        bar.Description = Markup.Escape(description);
        bar.StopTask();
    }
}
