using System.Text;
using CloudAssembly.Contracts;
using CloudAssembly.Reporting.Comparison;

namespace CloudAssembly.Reporting.Tests;

public class RunComparisonTests
{
    [Fact]
    public void Runs_are_compared_in_one_table_with_their_spec_differences_and_overlaid_curves()
    {
        var first = SampleRun.Report("run-a");
        var second = SampleRun.Report("run-b", RunSpec.FashionMnistDemo() with { Seed = 1 });

        var files = RunComparison.Render([first, second]);

        var html = Encoding.UTF8.GetString(files[RunReportWriter.HtmlFile]);
        Assert.Contains("<td>run-a</td>", html);
        Assert.Contains("<td>run-b</td>", html);
        Assert.Contains("run-b: seed 0 → 1", html);
        foreach (var figure in new[] { "compare-ft-loss", "compare-ft-top1", "compare-accuracy-vs-cost" })
            Assert.Contains($"{figure}.svg", html);
        Assert.Contains("run-b end-to-end", Encoding.UTF8.GetString(files["compare-accuracy-vs-cost.svg"]));
    }
}
