using System.Diagnostics;
using System.Text.Json;

namespace CloudAssembly.AppHost.Tests;

/// <summary>
/// The AppHost's resource graph as Aspire's manifest publisher writes it
/// (<c>dotnet CloudAssembly.AppHost.dll --publisher manifest --output-path …</c>): a publish, so nothing starts.
/// </summary>
public static class AspireManifest
{
    public static async Task<JsonElement> PublishAsync(CancellationToken ct)
    {
        var folder = Directory.CreateTempSubdirectory("cloudassembly-manifest-");
        try
        {
            var path = Path.Combine(folder.FullName, "aspire-manifest.json");
            var start = new ProcessStartInfo("dotnet",
                [Path.Combine(AppContext.BaseDirectory, "CloudAssembly.AppHost.dll"), "--publisher", "manifest", "--output-path", path])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = folder.FullName,
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            if (process.ExitCode != 0 || !File.Exists(path))
                throw new InvalidOperationException($"The manifest publisher failed (exit code {process.ExitCode}):\n{await stdout}\n{await stderr}");
            using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(path, ct));
            return manifest.RootElement.GetProperty("resources").Clone();
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
