namespace CloudAssembly.Cli.Progress;

/// <summary>A run's progress as plain lines, for output that is not a terminal (CI logs, files, pipes).</summary>
public sealed class PlainRunProgress(TextWriter output)
{
    private readonly Lock gate = new();

    public void On(object message)
    {
        if (RunEventText.Line(message) is not { } line)
            return;
        lock (gate)
            output.WriteLine(line);
    }
}
