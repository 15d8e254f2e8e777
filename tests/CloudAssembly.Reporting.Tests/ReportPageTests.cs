using System.Text.Json;
using CloudAssembly.Reporting.Figures;
using CloudAssembly.TestSupport;
using PuppeteerSharp;

namespace CloudAssembly.Reporting.Tests;

public class ReportPageTests
{
    private static readonly string[] Figures = ["train-loss", "eval-top1", "lr", "throughput", "timeline", "accuracy", "accuracy-vs-cost"];

    /// <summary>Opens the sample run's page as a user would, checks what it shows, and keeps a screenshot of it in docs/.</summary>
    [Fact]
    public async Task Report_html_opens_from_disk_as_a_run_page_with_every_figure_loaded()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cloudassembly-tests", $"report-{Guid.NewGuid():N}");
        var files = RunReportWriter.Render(SampleRun.Report());
        var html = RunReportWriter.WriteTo(files, folder);
        try
        {
            await using var browser = await HeadlessBrowser.LaunchAsync();
            await using var page = await browser.NewPageAsync();
            await page.SetViewportAsync(new ViewPortOptions { Width = 1100, Height = 900 });
            await page.GoToAsync(new Uri(html).AbsoluteUri);
            var images = await page.EvaluateExpressionAsync<ImageState[]>(
                "Array.from(document.images).map(i => ({ src: i.src.slice(0, 22), complete: i.complete, width: i.naturalWidth, height: i.naturalHeight }))");

            var pngs = files.Keys.Count(k => k.EndsWith(".png", StringComparison.Ordinal));
            Assert.Equal(Figures.Length, pngs);
            Assert.Equal(pngs, images.Length);
            Assert.All(images, i =>
            {
                Assert.Equal("data:image/png;base64,", i.Src);
                Assert.True(i.Complete);
                Assert.Equal(800, i.Width);
                Assert.Equal(450, i.Height);
            });
            var text = await page.EvaluateExpressionAsync<string>("document.body.innerText");
            foreach (var shown in new[] { "Cost ledger", "Completed", "1.0.0 (commit 18b17ab78e50)", "trainer-0, trainer-a, trainer-b", "attempt 1: failed",
                         "Attempts and re-dispatches", SampleRun.FailureReason, "15 of them lost to attempts that did not finish their phase" })
                Assert.Contains(shown, text);
            Assert.Equal($"http://localhost:18888/traces/detail/{SampleRun.TraceId}",
                await page.EvaluateExpressionAsync<string>("document.querySelector('a[href*=traces]').href"));

            await page.ScreenshotAsync(Path.Combine(Repository.Root, "docs", "report.png"), new ScreenshotOptions
            {
                Clip = new PuppeteerSharp.Media.Clip { X = 0, Y = 0, Width = 1100, Height = 2400 },
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Every_figure_comes_as_png_and_svg_and_report_json_holds_the_numbers()
    {
        var files = RunReportWriter.Render(SampleRun.Report());

        foreach (var figure in Figures)
        {
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], files[$"{figure}.png"][..4]);
            Assert.Contains("<svg", System.Text.Encoding.UTF8.GetString(files[$"{figure}.svg"]));
        }
        using var json = JsonDocument.Parse(files[RunReportWriter.JsonFile]);
        Assert.Equal(88.2, json.RootElement.GetProperty("accuracy").GetProperty("final").GetDouble());
        Assert.Equal(200, json.RootElement.GetProperty("baseline").GetProperty("baselineDeviceSeconds").GetDouble());
        Assert.Equal(8, json.RootElement.GetProperty("phases").GetArrayLength());
        Assert.Equal(15, json.RootElement.GetProperty("cost").GetProperty("lostDeviceSeconds").GetDouble());
        Assert.Equal(10, json.RootElement.GetProperty("phases")[0].GetProperty("steps").GetArrayLength());
    }

    [Fact]
    public void Curves_over_steps_are_ticked_at_whole_epochs_and_their_legend_stands_outside_the_data()
    {
        var plot = EpochPlot.Lines([new Series("FT", [0.2, 0.4, 0.6, 0.8, 1.0], [1.5, 1.4, 1.3, 1.2, 1.1]), new Series("PT", [1, 2, 3], [2, 1.5, 1])], "loss");
        plot.GetImageBytes(800, 450, ScottPlot.ImageFormat.Png);

        Assert.Equal([0.0, 1, 2, 3], plot.Axes.Bottom.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => t.Position));
        Assert.False(plot.Legend.IsVisible);
    }

    private sealed record ImageState(string Src, bool Complete, int Width, int Height);
}
