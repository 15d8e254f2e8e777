using System.Diagnostics;
using System.Text.Json;

namespace CloudAssembly.Reporting.Tests;

/// <summary>
/// Reads event files with TensorBoard's own <c>event.proto</c> and <c>summary.proto</c> (TensorBoard/proto, trimmed
/// copies), compiled by Debian's <c>protoc</c> and parsed by <c>python3-protobuf</c> in TensorBoard/read_events.py,
/// which also checks every record's CRCs: a reader that shares no code with our writer. eng/install-protobuf.sh
/// installs both packages; here they are only looked for.
/// </summary>
public static class TensorBoardReader
{
    private static string? Protoc => new[] { "/usr/bin/protoc", "/usr/local/bin/protoc" }.FirstOrDefault(File.Exists);

    /// <summary>Debian's python3, where python3-protobuf installs (a pyenv or venv python on PATH does not see it).</summary>
    private static string Python => new[] { "/usr/bin/python3" }.FirstOrDefault(File.Exists) ?? "python3";

    public static string? SkipReason =>
        Protoc is null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
            ? "protoc is not installed, so TensorBoard's protos cannot be compiled (eng/install-protobuf.sh installs protobuf-compiler and python3-protobuf)."
            : null;

    public static IReadOnlyList<EventFileContent> Read(string logDir)
    {
        var protos = Path.Combine(AppContext.BaseDirectory, "TensorBoard", "proto");
        var generated = Directory.CreateTempSubdirectory("cloudassembly-tb-proto").FullName;
        try
        {
            Run(Protoc ?? throw new InvalidOperationException("protoc is not on this machine: run eng/install-protobuf.sh."),
                ["--python_out=" + generated, "-I", protos, .. Directory.GetFiles(Path.Combine(protos, "tensorboard", "compat", "proto"), "*.proto")]);
            var json = Run(Python, [Path.Combine(AppContext.BaseDirectory, "TensorBoard", "read_events.py"), generated, logDir]);
            using var document = JsonDocument.Parse(json);
            return [.. document.RootElement.GetProperty("files").EnumerateArray().Select(f => new EventFileContent(
                f.GetProperty("path").GetString()!, f.GetProperty("fileVersion").GetString()!,
                [.. f.GetProperty("scalars").EnumerateArray().Select(s => new ScalarEvent(s[0].GetString()!, s[1].GetInt64(), s[2].GetDouble(), s[3].GetDouble()))]))];
        }
        finally
        {
            Directory.Delete(generated, recursive: true);
        }
    }

    private static string Run(string program, IReadOnlyList<string> arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{Path.GetFileName(program)} exited with {process.ExitCode}: {stderr.Result}");
        return stdout;
    }
}
