using System.Diagnostics;
using PuppeteerSharp;
using Xunit.Abstractions;

namespace CloudAssembly.AppHost.Tests;

/// <summary>
/// The path a person walks, checked in a real browser: the AppHost with its dashboard, a short run submitted and watched
/// with the CLI as the README says, then the link <c>submit</c> printed opened in Debian's headless Chromium. The
/// screenshot is kept in <c>artifacts/screenshots/</c>.
/// </summary>
public sealed class DashboardTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";

    /// <summary>The page's text, shadow roots included: the dashboard's grid cells are web components.</summary>
    private const string PageText = """
        () => {
          const parts = [];
          const visit = root => {
            parts.push(root.textContent ?? '');
            for (const element of root.querySelectorAll('*'))
              if (element.shadowRoot) visit(element.shadowRoot);
          };
          visit(document.body);
          return parts.join('\n');
        }
        """;

    private static readonly string[] Phases = ["phase PT", "phase MT_0", "phase MT_1", "phase MT_2", "phase MT_3", "phase FT", "phase Eval"];

    [Fact]
    public async Task The_dashboard_lists_the_phase_spans_of_a_run_submitted_with_the_cli_on_its_trace_page()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: eng/install-chromium.sh installs Debian's chromium.");
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await using var apphost = new AppHostProcess(trainers: 2);
        var environment = await apphost.CliEnvironmentAsync(guard.Token);
        Assert.Equal(apphost.Dashboard, environment["CLOUDASSEMBLY_DASHBOARD"]);

        var spec = Path.Combine(Path.GetTempPath(), $"cloudassembly-dashboard-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(spec, TinySpec.Json, guard.Token);
        var (exitCode, submitted) = await CliAsync(["submit", "--spec", spec, "--run-id", "dashboard-check", "--watch"], environment, guard.Token);
        Assert.True(exitCode == 0, $"submit --watch ended with {exitCode}:\n{submitted}\n{apphost.Log}");
        var link = submitted.Split('\n').Select(l => l.Split("its trace: ")).Single(parts => parts.Length == 2)[1].Trim();
        Assert.StartsWith($"{apphost.Dashboard}/traces/detail/", link);

        await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            Headless = true,
            ExecutablePath = Chromium,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
        await using var page = await browser.NewPageAsync();
        // The trace's rows are virtualised: a tall window renders every row of a short run's trace at once.
        await page.SetViewportAsync(new ViewPortOptions { Width = 1600, Height = 6000 });
        await page.GoToAsync(link, WaitUntilNavigation.Load);
        var screenshot = Path.Combine(Repository.Root, "artifacts", "screenshots", "dashboard-run-trace.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        try
        {
            // The services export in batches and the page renders live: wait for every phase to be listed.
            await page.WaitForFunctionAsync($"names => names.every(n => ({PageText})().includes(n))",
                new WaitForFunctionOptions { Timeout = 90_000 }, [Phases]);
        }
        finally
        {
            await page.ScreenshotAsync(screenshot, new ScreenshotOptions { FullPage = true });
            output.WriteLine($"screenshot: {screenshot}");
        }
        var text = await page.EvaluateFunctionAsync<string>(PageText);
        Assert.All(Phases, phase => Assert.Contains(phase, text));
        Assert.Contains("run completed", text);
    }

    private static async Task<(int ExitCode, string Output)> CliAsync(string[] arguments, Dictionary<string, string> environment, CancellationToken ct)
    {
        var cli = Path.Combine(Repository.Root, "services", "Cli", "bin", Repository.Configuration, "net10.0", "cloudassembly.dll");
        var info = new ProcessStartInfo("dotnet", [cli, .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
            info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await stdout + await stderr);
    }
}
