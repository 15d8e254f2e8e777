using System.Diagnostics;

namespace CloudAssembly.AppHost;

/// <summary>
/// Whether a container engine answers, asked the way Aspire's DCP asks it (the <c>docker</c> CLI, or the one named by
/// <c>ASPIRE_CONTAINER_RUNTIME</c>). A CLI without an engine behind it counts as no engine: Aspire would leave its
/// containers <c>RuntimeUnhealthy</c> and everything that waits for them <c>Waiting</c>.
/// </summary>
public static class ContainerRuntime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public static string Name => Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") is { Length: > 0 } name ? name : "docker";

    public static bool IsEngineReachable()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(Name, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
                return false;
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Patience))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
