using Spectre.Console;

namespace CloudAssembly.Cli.Progress;

/// <summary>
/// Shows the progress of whatever <c>work</c> does with runs (<c>run</c>, <c>watch</c>, <c>experiment</c>): it gets the
/// handler to pass their events to. Live bars on a terminal, plain lines otherwise, so CI logs stay readable.
/// </summary>
public static class RunProgressDisplay
{
    public static async Task<T> ShowAsync<T>(Func<Action<object>, Task<T>> work)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            return await work(new PlainRunProgress(Console.Out).On);
        var result = default(T)!;
        await AnsiConsole.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context => result = await work(new LiveRunProgress(context).On));
        return result;
    }
}
