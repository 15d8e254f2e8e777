using System.Text.Json;

namespace CloudAssembly.Reporting.Tests;

public class ReportPageTests
{
    [Fact]
    public async Task Report_html_opens_from_disk_in_a_headless_browser_with_every_figure_loaded()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cloudassembly-tests", $"report-{Guid.NewGuid():N}");
        var files = RunReportWriter.Render(SampleRun.Report());
        var html = RunReportWriter.WriteTo(files, folder);
        try
        {
            await using var browser = await HeadlessBrowser.LaunchAsync();
            await using var page = await browser.NewPageAsync();
            await page.GoToAsync(new Uri(html).AbsoluteUri);
            var images = await page.EvaluateExpressionAsync<ImageState[]>(
                "Array.from(document.images).map(i => ({ src: i.src.slice(0, 22), complete: i.complete, width: i.naturalWidth, height: i.naturalHeight }))");

            var pngs = files.Keys.Count(k => k.EndsWith(".png", StringComparison.Ordinal));
            Assert.Equal(5, pngs);
            Assert.Equal(pngs, images.Length);
            Assert.All(images, i =>
            {
                Assert.Equal("data:image/png;base64,", i.Src);
                Assert.True(i.Complete);
                Assert.Equal(800, i.Width);
                Assert.Equal(450, i.Height);
            });
            Assert.Contains("Cost ledger", await page.GetContentAsync());
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

        foreach (var figure in new[] { "train-loss", "eval-top1", "timeline", "accuracy", "accuracy-vs-cost" })
        {
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], files[$"{figure}.png"][..4]);
            Assert.Contains("<svg", System.Text.Encoding.UTF8.GetString(files[$"{figure}.svg"]));
        }
        using var json = JsonDocument.Parse(files[RunReportWriter.JsonFile]);
        Assert.Equal(88.2, json.RootElement.GetProperty("accuracy").GetProperty("final").GetDouble());
        Assert.Equal(200, json.RootElement.GetProperty("baseline").GetProperty("baselineDeviceSeconds").GetDouble());
        Assert.Equal(8, json.RootElement.GetProperty("phases").GetArrayLength());
    }

    private sealed record ImageState(string Src, bool Complete, int Width, int Height);
}
