using System.Text.Json;
using System.Text.RegularExpressions;
using CloudAssembly.AppHost;

namespace CloudAssembly.AppHost.Tests;

/// <summary>
/// What README.md tells a user to type against a cluster, read from its <c>bash</c> blocks: the <c>export</c> lines of
/// the CLI's environment (written for the AppHost's default ports) and, in order, every <c>cloudassembly</c> command
/// that talks to the cluster (spec, submit, watch, status, list, cancel, download). Installing the tool and starting
/// the AppHost are left to the test, which runs the built CLI and starts the AppHost on free ports.
/// </summary>
public static partial class ReadmeClusterSection
{
    public static IReadOnlyList<string> Lines { get; } = BashLines(File.ReadAllText(Path.Combine(Repository.Root, "README.md")));

    /// <summary>The <c>export NAME='value'</c> lines of the CLI's environment, as name and value.</summary>
    public static IReadOnlyDictionary<string, string> Exports =>
        Lines.Select(l => Export().Match(l)).Where(m => m.Success && m.Groups[1].Value != "PATH")
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    public static IReadOnlyList<string> Commands => [.. Lines.Where(l => ClusterCommand().IsMatch(l))];

    /// <summary>
    /// The README's values with this AppHost's ports in place of the defaults they were written for: those of
    /// <see cref="InfrastructureOptions"/> and of the launch profile <c>dotnet run --project AppHost</c> uses.
    /// </summary>
    public static Dictionary<string, string> ExportsFor(AppHostProcess apphost)
    {
        var defaults = new InfrastructureOptions();
        using var launch = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "AppHost", "Properties", "launchSettings.json")));
        var profile = launch.RootElement.GetProperty("profiles").GetProperty("http");
        var ports = new Dictionary<string, string>
        {
            [$":{defaults.RabbitPort}/"] = $":{apphost.RabbitPort}/",
            [$":{defaults.AzuritePort}/"] = $":{apphost.AzuritePort}/",
            [profile.GetProperty("environmentVariables").GetProperty("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL").GetString()!] = apphost.OtlpEndpoint,
            [profile.GetProperty("applicationUrl").GetString()!] = apphost.Dashboard,
        };
        return Exports.ToDictionary(e => e.Key, e => ports.Aggregate(e.Value, (value, port) => value.Replace(port.Key, port.Value, StringComparison.Ordinal)));
    }

    private static List<string> BashLines(string markdown)
    {
        var lines = new List<string>();
        var inBash = false;
        foreach (var line in markdown.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
                inBash = !inBash && line == "```bash";
            else if (inBash)
                lines.Add(line);
        }
        return lines;
    }

    [GeneratedRegex(@"^export (\w+)='([^']*)'")]
    private static partial Regex Export();

    [GeneratedRegex(@"^cloudassembly (spec|submit|watch|status|list|cancel|download)\b")]
    private static partial Regex ClusterCommand();
}
